"""Shared drawing pieces: a character canvas for the ring and the ecomap, and table titles that stay on a line."""

import itertools

from rich.text import Text

from lingkaran.render.plain import cells


class Canvas:
    """A grid of terminal columns, each with a character and a style, turned into Rich text line by line.

    A wide character (CJK, most emoji) takes two columns: its own and an empty one after it, so a line is never
    wider than the canvas. Writing over either half of a wide character blanks the other half.
    """

    SECOND_HALF = ""

    def __init__(self, width: int, height: int):
        self.cells = [[(" ", "")] * width for _ in range(height)]
        self.width = width

    def put(self, row: int, col: int, text: str, style: str = "") -> None:
        for char in text:
            width = cells(char)
            if width == 0:  # a combining mark joins the character before it
                if 0 < col <= self.width and self.cells[row][col - 1][0] != self.SECOND_HALF:
                    self.cells[row][col - 1] = (self.cells[row][col - 1][0] + char, self.cells[row][col - 1][1])
                continue
            if 0 <= col and col + width <= self.width:
                for column in range(col, col + width):
                    self._clear_wide(row, column)
                self.cells[row][col] = (char, style)
                if width == 2:
                    self.cells[row][col + 1] = (self.SECOND_HALF, style)
            elif 0 <= col < self.width:  # a wide character that would cross the edge
                self._clear_wide(row, col)
                self.cells[row][col] = (" ", style)
            col += width

    def _clear_wide(self, row: int, col: int) -> None:
        """Before column `col` is written: blank the other half of a wide character it belongs to."""
        line = self.cells[row]
        if line[col][0] == self.SECOND_HALF:
            line[col - 1] = (" ", line[col - 1][1])
            line[col] = (" ", line[col][1])
        elif col + 1 < self.width and line[col + 1][0] == self.SECOND_HALF:
            line[col + 1] = (" ", line[col + 1][1])

    def text(self) -> Text:
        lines = Text()
        for number, row in enumerate(self.cells):
            line = Text()
            for style, run in itertools.groupby(row, key=lambda cell: cell[1]):  # one span per run of a style
                line.append("".join(char for char, _style in run), style or None)
            line.rstrip()
            lines.append_text(line)
            if number < len(self.cells) - 1:
                lines.append("\n")
        return lines


def table_title(title: str) -> Text | str:
    """A table's title kept on one line when the table is narrower than it (a short Indonesian table under a
    longer title wrapped mid-phrase); a title wider than 80 columns still wraps."""
    return Text(title, style="table.title", no_wrap=True, overflow="ignore") if cells(title) <= 80 else title
