"""The error types lingkaran raises and the exit code each one maps to."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Every exit code lingkaran uses; documented in docs/scripting.md."""

    OK = 0
    INVALID_INPUT = 2
    NO_SUCH_CASE = 3
    STEP_REFUSED = 4
    DATABASE_UNUSABLE = 5
    INTERRUPTED = 130
    BROKEN_PIPE = 141  # stdout's reader went away (`| head`): 128 + SIGPIPE, as for any Unix tool


class LingkaranError(Exception):
    """An error meant for the user: one line of text and an exit code."""

    exit_code = ExitCode.INVALID_INPUT

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidInput(LingkaranError):
    """A value the user gave cannot be used, or a required one is missing."""

    exit_code = ExitCode.INVALID_INPUT


class NoSuchCase(LingkaranError):
    """The case the user named does not exist in this caseload."""

    exit_code = ExitCode.NO_SUCH_CASE


class StepRefused(LingkaranError):
    """The intervention cycle does not allow this step now."""

    exit_code = ExitCode.STEP_REFUSED


class DatabaseUnusable(LingkaranError):
    """The database is locked, corrupt, foreign or newer than this version."""

    exit_code = ExitCode.DATABASE_UNUSABLE


class Interrupted(LingkaranError):
    """The user stopped a prompt; nothing was written."""

    exit_code = ExitCode.INTERRUPTED
