"""A key file is a regular file whose first line is read, and no more: a device that never ends (/dev/zero) or
a named pipe nobody writes to is refused at once with one line and exit 5, instead of eating memory or hanging."""

import os
import resource
import subprocess

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN


def limited_memory() -> None:
    """In the child: at most 1 GB of address space, so a key file read without end fails instead of the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def run_with_key_file(key_file, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINGKARAN, "--key-file", str(key_file), *args],
        capture_output=True,
        text=True,
        timeout=30,
        preexec_fn=limited_memory,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def encrypted_caseload(lingkaran, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")
    key = tmp_path / "good.key"
    key.write_text("a long enough passphrase\n")
    key.chmod(0o600)
    assert lingkaran("--key-file", key, "init", "--encrypt").returncode == 0
    return key


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_key_file_is_refused_at_once(encrypted_caseload, device):
    result = run_with_key_file(device, "list")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE
    assert (
        result.stderr == f"lingkaran: the key file {device} is not a regular file (a folder, a pipe or a "
        f"device); put the passphrase in a file\n"
    )


def test_a_named_pipe_as_key_file_is_refused_without_waiting_for_a_writer(encrypted_caseload, tmp_path):
    pipe = tmp_path / "key.fifo"
    os.mkfifo(pipe, 0o600)
    try:
        result = run_with_key_file(pipe, "list")
    except subprocess.TimeoutExpired:
        pytest.fail("lingkaran waited for a writer on the named pipe")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1
    assert "is not a regular file" in result.stderr


def test_a_folder_as_key_file_is_refused(encrypted_caseload, tmp_path):
    result = run_with_key_file(tmp_path, "list")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "is not a regular file" in result.stderr


def test_only_the_first_line_is_read_and_it_has_a_limit(encrypted_caseload, tmp_path):
    huge = tmp_path / "huge.key"
    with huge.open("wb") as file:  # 64 MB without a line break: not a passphrase anyone keeps
        file.write(b"x" * (64 << 20))
    huge.chmod(0o600)
    result = run_with_key_file(huge, "list")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE
    assert (
        result.stderr == f"lingkaran: the first line of the key file {huge} is longer than 4096 bytes; a key "
        f"file holds the passphrase on its first line\n"
    )
    second_line_not_text = tmp_path / "lines.key"
    second_line_not_text.write_bytes(encrypted_caseload.read_bytes() + b"\xff\xfe not text\n" * 100_000)
    second_line_not_text.chmod(0o600)
    assert run_with_key_file(second_line_not_text, "list", "--json").stdout == "[]\n"
    windows = tmp_path / "windows.key"
    windows.write_bytes(encrypted_caseload.read_bytes().replace(b"\n", b"\r\n"))
    windows.chmod(0o600)
    assert run_with_key_file(windows, "list", "--json").stdout == "[]\n"
