"""A progress bar on stderr for long exports and imports; nothing at all when stderr is not a terminal."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from lingkaran.messages import _

WORTH_SHOWING = 2000  # records; below this the work is over before a bar could be read


def _ignore(count: int) -> None:
    """Progress nobody watches."""


@contextmanager
def progress_bar(total: int | None, description: str) -> Iterator[Callable[[int], None]]:
    """Yield a function that advances a bar on stderr by a number of records."""
    if not sys.stderr.isatty() or (total is not None and total < WORTH_SHOWING):
        yield _ignore
        return
    from rich.progress import Progress

    from lingkaran.render.rich_views import console

    with Progress(console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(_(description), total=total)
        yield lambda count: bar.advance(task, count)
