"""Bundles: the events a colleague needs, as one file for a USB stick or a chat, sealed with the team's passphrase.

A bundle file (docs/design.md, "Working as a team"):

    lingkaran-bundle 1 sealed                                         (or: plain)
    {"kdf":"argon2id","opslimit":…,"memlimit":…,"salt":"…"}          (plain: {"sha256":"…"})
    the payload: sealed, libsodium's SecretBox (XSalsa20-Poly1305) of the zlib-compressed settings line and
    payload under a key that Argon2id derives from the passphrase (PyNaCl); plain, the payload as it is

One changed byte and a sealed bundle does not open (the MAC), a plain one does not match its checksum. The
payload is NDJSON: a header line (what the bundle holds and presupposes), then the lines of an export: records,
the events with their origin (device, sequence, clock, parents, hashes), then records that refer to events.
Records travel until the projection rebuilds each case from its events alone (branch merge-projection).
"""

import base64
import datetime as dt
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from lingkaran.casework.exchange import export as exporting
from lingkaran.casework.exchange import formats, incoming
from lingkaran.errors import DatabaseUnusable, InvalidInput
from lingkaran.messages import N_, _
from lingkaran.store import arrivals, chains, devices, erasure, events, records

MAGIC = b"lingkaran-bundle"
VERSION = 1
SEALED, PLAIN = "sealed", "plain"
HEADER_FORMAT = "lingkaran-bundle"
MAX_MEMLIMIT = 1 << 30  # a bundle may not make the reader spend more than 1 GiB deriving its key
MAX_OPSLIMIT = 16


def first_line(kind: str) -> bytes:
    """A bundle's first line: the magic, the format version and whether it is sealed."""
    return MAGIC + f" {VERSION} {kind}\n".encode()


def is_bundle(head: bytes) -> bool:
    """Whether a file starts like a bundle (one changed byte in its first line still counts: it is refused as
    damaged, not read as some other format)."""
    line = head.split(b"\n", 1)[0] + b"\n"
    return any(
        len(line) == len(known) and sum(a != b for a, b in zip(line, known, strict=False)) <= 1
        for known in (first_line(SEALED), first_line(PLAIN))
    )


# --- sealing -------------------------------------------------------------------------------------------------


def pack(payload: bytes, passphrase: str | None) -> bytes:
    """The bytes of a bundle file: sealed with the passphrase, or plain (None)."""
    if passphrase is None:
        return first_line(PLAIN) + _line({"sha256": hashlib.sha256(payload).hexdigest()}) + payload
    import nacl.pwhash
    import nacl.secret
    import nacl.utils

    kdf = nacl.pwhash.argon2id
    salt = nacl.utils.random(kdf.SALTBYTES)
    settings = {
        "kdf": "argon2id",
        "opslimit": kdf.OPSLIMIT_INTERACTIVE,
        "memlimit": kdf.MEMLIMIT_INTERACTIVE,
        "salt": base64.b64encode(salt).decode(),
    }
    box = nacl.secret.SecretBox(_key(passphrase, salt, settings))
    # the settings line is sealed in too, so a change to it that leaves the key the same is still caught
    return first_line(SEALED) + _line(settings) + box.encrypt(zlib.compress(_line(settings) + payload))


def _key(passphrase: str, salt: bytes, settings: dict) -> bytes:
    import nacl.pwhash
    import nacl.secret

    return nacl.pwhash.argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode(),
        salt,
        opslimit=settings["opslimit"],
        memlimit=settings["memlimit"],
    )


def _line(item: object) -> bytes:
    return json.dumps(item, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def is_sealed(data: bytes) -> bool:
    """Whether a bundle is sealed (needs the passphrase to open)."""
    return data.startswith(first_line(SEALED))


def unpack(data: bytes, name: str, passphrase: str | None) -> bytes:
    """The payload of a bundle file; a damaged, changed or wrongly keyed one is refused (exit 5)."""
    head, settings_line, body = (data.split(b"\n", 2) + [b"", b""])[:3]
    if head + b"\n" == first_line(PLAIN):
        if _settings(settings_line, name).get("sha256") != hashlib.sha256(body).hexdigest():
            raise _damaged(name)
        return body
    if head + b"\n" != first_line(SEALED) or passphrase is None:
        raise _damaged(name)
    sealed_settings, payload = _open_sealed(body, name, passphrase, _settings(settings_line, name)).split(b"\n", 1)
    if sealed_settings != settings_line:
        raise _damaged(name)
    return payload


def _open_sealed(body: bytes, name: str, passphrase: str, settings: dict) -> bytes:
    import nacl.exceptions
    import nacl.secret

    try:
        salt = base64.b64decode(settings["salt"], validate=True)
        if (
            settings["kdf"] != "argon2id"
            or not (0 < settings["memlimit"] <= MAX_MEMLIMIT)
            or not (0 < settings["opslimit"] <= MAX_OPSLIMIT)
        ):
            raise ValueError(settings["kdf"])
        return zlib.decompress(nacl.secret.SecretBox(_key(passphrase, salt, settings)).decrypt(body))
    except (KeyError, TypeError, ValueError, nacl.exceptions.CryptoError, zlib.error):
        raise DatabaseUnusable(
            _(
                "{name} does not open: the passphrase is not the one it was sealed with, or the "
                "bundle was changed or damaged after it was written; nothing was imported"
            ).format(name=name)
        ) from None


def _settings(line: bytes, name: str) -> dict:
    try:
        settings = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
        raise _damaged(name) from None
    if not isinstance(settings, dict):
        raise _damaged(name)
    return settings


def _damaged(name: str) -> DatabaseUnusable:
    return DatabaseUnusable(
        _(
            "{name} is not a whole lingkaran bundle: it was changed or damaged after it was "
            "written; nothing was imported"
        ).format(name=name)
    )


# --- writing -------------------------------------------------------------------------------------------------


@dataclass
class Written:
    """What a bundle holds: its payload, how many events of how many cases, and what it presupposes."""

    payload: bytes
    events: int
    cases: int
    presupposes: dict[str, int] = field(default_factory=dict)


def write_payload(conn: sqlite3.Connection, references: list[str], known: dict[str, int]) -> Written:
    """The payload of a bundle of the chosen cases (every case when none is named), leaving out each device's
    events up to the sequence `known` says the colleague holds (a colleague's `sync status --json`)."""
    chosen = [records.find_case(conn, reference) for reference in references]
    held = chains.contiguous_sequences(conn)
    presupposes = {
        device: min(after, held[device]) for device, after in known.items() if held.get(device) and after > 0
    }
    case_uuids = [case["uuid"] for case in chosen] if chosen else _touched_cases(conn, presupposes)
    if case_uuids is None:
        plans = [exporting.plan_export(conn, None, force=True)]
    else:
        plans = [exporting.plan_export(conn, case_uuid, force=True) for case_uuid in case_uuids]
    lines, carried = [], 0
    for plan in plans:
        for chunk in exporting.export_chunks(conn, plan, anonymize=False, every_kind=True):
            for line in chunk.lines.split(b"\n"):
                if not _presupposed(line, presupposes):
                    lines.append(line)
                    carried += line.startswith(b'{"table":"events"')
    header = {
        "format": HEADER_FORMAT,
        "version": VERSION,
        "schema": _schema(),
        "created_at": events.now_utc(),
        "device": devices.this_device(conn),
        "cases": [case["uuid"] for case in chosen] or None,
        "presupposes": presupposes,
        "events": carried,
    }
    cases = len(chosen) or conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    # control characters as \u escapes, as in an export: a plain bundle printed to a terminal cannot retitle it
    body = exporting.escaped_controls(b"\n".join(lines))
    return Written(_line(header) + body + b"\n" * bool(lines), carried, cases, presupposes)


def _touched_cases(conn: sqlite3.Connection, presupposes: dict[str, int]) -> list[str] | None:
    """With --since, the cases that have events the colleague lacks: only their records need to travel (a day's
    bundle then costs what the day touched, not the whole caseload). None when every record must travel: nothing
    presupposed, or events under no case lack (only a whole export carries those). Read device by device
    through the (device, seq) index: a day's few events, not the whole log (4 s at 10,000 cases before)."""
    if not presupposes:
        return None
    case_ids: set[int | None] = set()
    for device in _devices(conn):
        case_ids.update(
            row[0]
            for row in conn.execute(
                "SELECT DISTINCT case_id FROM events WHERE device = ? AND (seq IS NULL OR seq > ?)",
                [device, presupposes.get(device, 0)],
            )
        )
    if None in case_ids:
        return None
    rows = conn.execute(
        "SELECT uuid FROM cases WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id", [json.dumps(list(case_ids))]
    )
    return [row[0] for row in rows]


def _devices(conn: sqlite3.Connection) -> Iterator[str]:
    """Each device the log holds events of, one index lookup each (legacy events under their pseudo-device)."""
    device = conn.execute("SELECT min(device) FROM events").fetchone()[0]
    while device is not None:
        yield device
        device = conn.execute("SELECT min(device) FROM events WHERE device > ?", [device]).fetchone()[0]


def _schema() -> int:
    from lingkaran.store.database import SCHEMA_VERSION

    return SCHEMA_VERSION


def _presupposed(line: bytes, presupposes: dict[str, int]) -> bool:
    """Whether a line is an event the colleague holds already (by its device's sequence)."""
    if not presupposes or not line.startswith(b'{"table":"events"'):
        return False
    record = json.loads(line)["record"]
    return record.get("seq") is not None and record["seq"] <= presupposes.get(record.get("device"), 0)


def known_sequences(status: object) -> dict[str, int]:
    """The sequences a colleague holds, from their `sync status --json` output."""
    held = status.get("sequences") if isinstance(status, dict) else None
    if not isinstance(held, dict) or not all(
        isinstance(device, str) and type(seq) is int and seq >= 0 for device, seq in held.items()
    ):
        raise InvalidInput(_("--since needs a file holding a colleague's `lingkaran sync status --json` output"))
    return held


# --- importing -----------------------------------------------------------------------------------------------


def read_payload(payload: bytes) -> tuple[dict, list[tuple[incoming.Where, dict]]]:
    """A payload's header and its items, each with its line."""
    try:
        lines = payload.decode("utf-8").split("\n")
        header = json.loads(lines[0])
        items = [
            (incoming.Where(N_("line {number}"), number), json.loads(text))
            for number, text in enumerate(lines[1:], start=2)
            if text
        ]
    except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
        raise InvalidInput(_("the bundle's content is not what lingkaran writes; nothing was imported")) from None
    if not isinstance(header, dict) or header.get("format") != HEADER_FORMAT or header.get("version") != VERSION:
        raise InvalidInput(_("the bundle's content is not what lingkaran writes; nothing was imported"))
    if not isinstance(header.get("schema"), int) or header["schema"] > _schema():
        raise InvalidInput(
            _("the bundle was written by a newer lingkaran (schema {found}); upgrade lingkaran to import it").format(
                found=header.get("schema")
            )
        )
    return header, items


def refuse_gaps(conn: sqlite3.Connection, header: dict, items: list[tuple[incoming.Where, dict]]) -> None:
    """A bundle that starts after events this caseload does not hold, or that skips some, is refused naming
    the device and the missing range: importing it would leave a hole nobody could see."""
    presupposes = header.get("presupposes") or {}
    if not isinstance(presupposes, dict) or not all(type(after) is int for after in presupposes.values()):
        raise InvalidInput(_("the bundle's content is not what lingkaran writes; nothing was imported"))
    held = chains.recorded_sequences(conn)  # kept as events arrive: no scan of the whole log (check compares)
    for device, after in sorted(presupposes.items()):
        if held.get(device, 0) < after:
            raise _gap(device, held.get(device, 0) + 1, after)
    if header.get("cases") is None:  # a whole bundle holds every event of each device after what it presupposes
        for device, seqs in sorted(_carried(items).items()):
            expected = presupposes.get(device, 0) + 1
            for seq in sorted(seqs):
                if seq != expected:
                    raise _gap(device, expected, seq - 1)
                expected += 1


def _carried(items: list[tuple[incoming.Where, dict]]) -> dict[str, list[int]]:
    carried: dict[str, list[int]] = {}
    for _where, item in items:
        record = item.get("record") if isinstance(item, dict) and item.get("table") == "events" else None
        if isinstance(record, dict) and record.get("seq") is not None and isinstance(record.get("device"), str):
            carried.setdefault(record["device"], []).append(record["seq"])
    return carried


def _gap(device: str, first: int, last: int) -> InvalidInput:
    return InvalidInput(
        _(
            "the bundle lacks events {first}–{last} of device {device} (it starts after events this "
            "caseload does not hold); nothing was imported: import the bundle that holds them first, "
            "or ask for a whole bundle"
        ).format(first=first, last=last, device=device)
    )


def import_payload(
    conn: sqlite3.Connection, payload: bytes, advance: formats.Advance, today: dt.date, sealed: bool
) -> dict:
    """Merge a bundle's payload in one transaction; what arrived, per case (`sealed`: it opened with the team's
    passphrase, so only the team can have written it)."""
    from lingkaran.store.transactions import larger_cache, transaction

    header, items = read_payload(payload)
    result = incoming.ImportResult("bundle")
    with larger_cache(conn), transaction(conn):
        refuse_gaps(conn, header, items)
        last_event = records.last_id(conn, "events")
        last_case = records.last_id(conn, "cases")
        # Records arrive as an export's do, with the events; each case held here that events arrived for is
        # rebuilt from all its events (incoming._merge). Cases new here still come as their records.
        source = incoming.SEALED_BUNDLE if sealed else incoming.PLAIN_BUNDLE
        incoming.import_items(conn, iter(items), result, advance, today=today, source=source)
        arrived = arrivals.arrived_by_case(conn, last_event, last_case)
    if result.erased or any(case["erased"] for case in arrived):
        erasure.compact(conn)  # the blanked text must not survive in free pages or the WAL
    return {
        "format": "bundle",
        "events": result.events,
        "already_present": result.already_present,
        "imported": result.imported,
        "cases": arrived,
        "erased": result.erased,
        "renumbered": result.renumbered,
        "conflicts": result.conflicts,
    }
