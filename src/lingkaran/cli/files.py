"""The files commands write for the user (`export -o`, `report -o`, `bundle`, `ecomap --format dot -o`): new,
private (0600), and in place only once complete; stdout when no file is named."""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.files import create_private_file

OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help=_("Write to this new file (mode 0600) instead of stdout."), show_default=False),
]


@contextmanager
def output_file(path: Path | None) -> Iterator[BinaryIO]:
    """stdout, or a new private file that appears only once it is completely written (bytes, UTF-8 text)."""
    if path is None:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    if path.exists():
        raise InvalidInput(_("{path} already exists; choose another name or remove it first").format(path=path))
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        create_private_file(partial, make_folder=False)  # the caller's folder must be there already
        with partial.open("wb") as out:
            yield out
        os.replace(partial, path)
    except OSError as error:  # the caller named a place that cannot take the file: their input, exit 2
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror)) from None
    finally:
        with suppress(FileNotFoundError, NotADirectoryError):  # never made, or its folder is a file
            partial.unlink()
