"""NO_COLOR follows no-color.org, the same for every view: set to a value, no colour; set to "" it is not set.
The plain views (`search`, a step's confirmation) and the Rich views (`show`, `dashboard`) agree."""

import io
import sys

import pytest

from lingkaran.render.plain import colour_allowed
from lingkaran.render.rich_views import console


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("value, colour", [("", True), ("1", False), ("0", False)], ids=["empty", "1", "0"])
def test_plain_and_rich_views_read_no_color_alike(monkeypatch, value, colour):
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", value)
    monkeypatch.setattr(sys, "stdout", Terminal())  # here, not in a fixture: pytest's capture would put its own back
    assert colour_allowed() is colour
    assert console().no_color is not colour
