"""stdin, stdout and stderr as the shell hands them over: closed, full, a pipe whose reader went away, or an
encoding too narrow for a client's name. Every case ends in the documented exit code, never a traceback."""

import errno
import io
import os
import sys
from typing import NoReturn

from lingkaran.errors import ExitCode


def silence_stdout() -> None:
    """Point stdout at /dev/null, so what is still buffered for a reader that went away is dropped quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # no real stdout (in-process runs): nothing is flushed to a pipe at exit


STDOUT = "<stdout>"  # the file name a failed write to stdout carries (Python's own name for the stream)


class StdoutFile(io.FileIO):
    """stdout's file descriptor, whose failed writes name it: `> file` on a full disk is then told apart from the
    caseload's own files (exit 2, not 5). Called once per buffer of output, not per line."""

    def write(self, data) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as error:
            error.filename = STDOUT
            raise


class StderrFile(io.FileIO):
    """stderr's file descriptor: a line it cannot write (`2>/dev/full`, a reader gone) is dropped, so the exit code,
    which a script reads, is still the documented one."""

    def write(self, data) -> int:
        try:
            return super().write(data)
        except OSError:
            return len(data)


def on_own_file(stream, raw_class: type[io.FileIO]):
    """The real stdout or stderr rebuilt on `raw_class` over its file descriptor, with the same encoding and
    buffering; in-process runs (tests) keep the streams they set."""
    if stream is None or stream not in (sys.__stdout__, sys.__stderr__):
        return stream
    try:
        raw = raw_class(stream.fileno(), "w", closefd=False)
        stream.flush()
    except (OSError, ValueError, AttributeError):
        return stream
    binary = raw if isinstance(stream.buffer, io.FileIO) else io.BufferedWriter(raw)
    return io.TextIOWrapper(
        binary,
        encoding=stream.encoding,
        errors=_errors_for(stream),
        line_buffering=stream.line_buffering,
        write_through=stream.write_through,
    )


def _errors_for(stream) -> str:
    """A stream whose encoding cannot hold every character (PYTHONIOENCODING=ascii, a latin-1 locale) writes those
    it cannot as JSON's \\uXXXX escapes, instead of failing on a client's name (JSON stays valid and the same)."""
    import codecs

    if stream.errors != "strict" or codecs.lookup(stream.encoding).name.startswith("utf"):
        return stream.errors
    codecs.register_error("lingkaran-json-escape", _json_escapes)
    return "lingkaran-json-escape"


def _json_escapes(error: UnicodeEncodeError) -> tuple[str, int]:
    units = error.object[error.start : error.end].encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{units[index]:02x}{units[index + 1]:02x}" for index in range(0, len(units), 2)), error.end


class NoStdout(io.TextIOBase):
    """stdout when the shell closed it (`lingkaran list >&-`; Python then leaves sys.stdout None): the first
    write fails as on a pipe whose reader is gone, so every output path ends the same quiet way, exit 141."""

    def writable(self) -> bool:
        return True

    def write(self, text: object) -> int:
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    @property
    def buffer(self) -> "NoStdout":
        return self  # `export` writes bytes to sys.stdout.buffer: they fail the same way


def reader_gone() -> NoReturn:
    """stdout's reader went away (`| head -1`): stop quietly, with the exit code of a tool ended by SIGPIPE."""
    silence_stdout()
    sys.exit(int(ExitCode.BROKEN_PIPE))


def click_hid_a_closed_pipe() -> bool:
    """click met the closed pipe first (in an eager option such as --version), wrapped stdout and chose exit 1."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def take_over() -> None:
    """Set up the three streams for one run, whatever the shell left: a closed one, a narrow encoding."""
    if sys.stdout is None:
        sys.stdout = NoStdout()
    sys.stdout = on_own_file(sys.stdout, StdoutFile)
    if sys.stdin is None:  # `lingkaran … <&-`: read as empty, and no terminal to ask at (exit 2, not a traceback)
        sys.stdin = open(os.devnull, encoding="utf-8")
    if sys.stderr is None:  # `lingkaran … 2>&-`: the error line goes nowhere, the exit code still tells
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    sys.stderr = on_own_file(sys.stderr, StderrFile)
