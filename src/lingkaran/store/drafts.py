"""Drafts: the answers of a guided step stopped half-way (Ctrl-C, Esc), kept to be offered back next time.

One private file per case and command (mode 0600, in a 0700 folder of the user's data folder, where the caseload
lives by default); they hold client data, so `forget` erases a case's drafts with the case (docs/privacy.md).
"""

import datetime as dt
import json
import os
from pathlib import Path

from lingkaran.store.locations import data_dir


def folder() -> Path:
    """Where drafts are kept: ~/.local/share/lingkaran/drafts on Linux."""
    return data_dir() / "drafts"


def _path(case_uuid: str, command: str) -> Path:
    return folder() / f"{case_uuid}.{command}.json"


def save(case_uuid: str, command: str, answers: list) -> None:
    """Keep `answers` (question and answer pairs, in the order asked) as the case's draft for `command`."""
    folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    path = _path(case_uuid, command)
    partial = path.with_suffix(".partial")
    saved_at = dt.datetime.now().replace(second=0, microsecond=0).isoformat(sep=" ", timespec="minutes")
    handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump({"saved_at": saved_at, "answers": answers}, file, ensure_ascii=False)
    os.replace(partial, path)  # crash-only: a draft is there whole, or not at all


def load(case_uuid: str, command: str) -> dict | None:
    """The case's draft for `command`, or None (one that cannot be read is dropped: it is only a convenience)."""
    path = _path(case_uuid, command)
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):  # RecursionError: nested ~1,000 deep
        delete(case_uuid, command)
        return None
    if not isinstance(draft, dict) or not isinstance(draft.get("answers"), list):
        delete(case_uuid, command)
        return None
    return draft


def delete(case_uuid: str, command: str) -> None:
    """Drop the draft: finished, declined, or unreadable."""
    _path(case_uuid, command).unlink(missing_ok=True)


def erase_case(case_uuid: str) -> None:
    """Every draft of a case, for `forget` and retention erasure."""
    if folder().is_dir():
        for path in folder().glob(f"{case_uuid}.*"):
            path.unlink(missing_ok=True)
