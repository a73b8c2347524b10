"""The visit schedule as an iCalendar file (RFC 5545) that a phone's calendar imports. Pure.

Times are floating (no time zone): a visit at 09:00 is at 09:00 wherever the phone is, as the worker planned
it. A visit without a time is a whole-day event. Lines end in CRLF and are folded at 75 octets without
splitting a character; text values are escaped. The client's name is left out unless asked for: a phone's
calendar is often copied to a cloud service.
"""

import datetime as dt

from lingkaran.domain.vocabularies import ACTIVITY
from lingkaran.messages import _

PRODID = "-//lingkaran//planned visits//EN"
DEFAULT_MINUTES = 60
LINE_OCTETS = 75


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """A content line folded at 75 octets, each continuation starting with a space (RFC 5545 §3.1)."""
    parts, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > LINE_OCTETS:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += octets
    return "\r\n".join([*parts, current])


def _when(visit: dict) -> list[str]:
    day = dt.date.fromisoformat(visit["planned_on"])
    if not visit.get("at"):
        return [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}"]
    start = dt.datetime.combine(day, dt.time.fromisoformat(visit["at"]))
    return [f"DTSTART:{start:%Y%m%dT%H%M%S}", f"DURATION:PT{visit.get('minutes') or DEFAULT_MINUTES}M"]


def _summary(visit: dict, names: bool) -> str:
    kind = ACTIVITY.label(visit["kind"])
    if names and visit.get("client"):
        return _("{kind}: {client} (case {case})").format(kind=kind, client=visit["client"], case=visit["case_id"])
    return _("{kind}: case {case}").format(kind=kind, case=visit["case_id"])


def _description(visit: dict) -> str:
    lines = [visit["purpose"]] if visit.get("purpose") else []
    if visit.get("by_names"):
        lines.append(_("Who goes: {names}").format(names=", ".join(visit["by_names"])))
    lines.append(_("When done: lingkaran visit done {id} --note TEXT").format(id=visit["id"]))
    return "\n".join(lines)


def event_lines(visit: dict, stamp: str, names: bool) -> list[str]:
    """One VEVENT for a planned visit."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{visit['uuid']}@lingkaran",
        f"DTSTAMP:{stamp}",
        *_when(visit),
        f"SUMMARY:{escape(_summary(visit, names))}",
    ]
    if visit.get("place"):
        lines.append(f"LOCATION:{escape(visit['place'])}")
    lines += [f"DESCRIPTION:{escape(_description(visit))}", "END:VEVENT"]
    return lines


def calendar(visits: list[dict], now: dt.datetime, names: bool = False) -> str:
    """The whole file: every visit an event, stamped with the moment it was written (UTC)."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        *(line for visit in visits for line in event_lines(visit, stamp, names)),
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
