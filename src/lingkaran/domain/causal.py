"""What each writer had seen: the replay order of a case's events and the single-valued facts they write. Pure.

An event names its `parents` (the case's latest events its writer had seen). Events written before events
carried parents (device `legacy`, store/devices.py) have none: each follows the case's previous legacy event
by (clock, uuid), as the file that wrote them did (a file not migrated yet: in the order it recorded them).
The replay order is a topological order of these links, ties broken by (clock, device, uuid), so every copy
holding the same events replays them the same way whatever order they arrived in.
"""

import hashlib
import heapq
import json
from collections.abc import Callable
from dataclasses import dataclass

LEGACY = "legacy"  # store.devices.LEGACY: the device of events written before events had one


def sort_key(event: dict) -> tuple[str, str, str]:
    """The tie-break between events neither of which had seen the other: the later clock, then device, uuid."""
    return event.get("clock") or "", event.get("device") or "", event["uuid"]


def replay_order(events: list[dict]) -> list[dict]:
    """The events (given in this file's recorded order) in replay order, each with `index` (its place) and
    `past` (a bit set of the indexes of every event its writer had seen)."""
    links = _parent_links(events)
    ordered = _topological(events, links)
    place = {event["uuid"]: index for index, event in enumerate(ordered)}
    for index, event in enumerate(ordered):
        event["index"] = index
        event["past"] = 0
        for parent in links[event["uuid"]]:
            if place.get(parent, index) < index:  # a parent is always replayed first, save in a damaged log
                event["past"] |= ordered[place[parent]]["past"] | (1 << place[parent])
    return ordered


def _parent_links(events: list[dict]) -> dict[str, list[str]]:
    """Each event's parents that are here; an event without parents of its own follows the previous one."""
    present = {event["uuid"] for event in events}
    links = {
        event["uuid"]: [parent for parent in event.get("parents") or () if parent in present]
        for event in events
        if not _unlinked(event)
    }
    previous = None
    for event in sorted(filter(_unlinked, events), key=_legacy_key):
        links[event["uuid"]] = [previous] if previous else []
        previous = event["uuid"]
    return links


def _unlinked(event: dict) -> bool:
    return event.get("parents") is None or event.get("device") == LEGACY


def _legacy_key(event: dict) -> tuple:
    """Legacy events by clock; a file not migrated yet has no clocks: the order it recorded them in."""
    return (event.get("clock") or "", event["uuid"]) if event.get("device") == LEGACY else ("", event["id"])


def _topological(events: list[dict], links: dict[str, list[str]]) -> list[dict]:
    """Kahn's algorithm with a heap on sort_key; events caught in a loop of parents (a damaged log) come last,
    by sort_key, rather than being left out."""
    by_uuid = {event["uuid"]: event for event in events}
    waiting = {uuid: len(set(parents)) for uuid, parents in links.items()}
    children: dict[str, list[str]] = {}
    for uuid, parents in links.items():
        for parent in set(parents):
            children.setdefault(parent, []).append(uuid)
    ready = [(sort_key(by_uuid[uuid]), uuid) for uuid, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    ordered = []
    while ready:
        _key, uuid = heapq.heappop(ready)
        ordered.append(by_uuid[uuid])
        for child in children.get(uuid, ()):
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (sort_key(by_uuid[child]), child))
    placed = {event["uuid"] for event in ordered}
    return ordered + sorted((event for event in events if event["uuid"] not in placed), key=sort_key)


def had_seen(event: dict, other: dict) -> bool:
    """Whether `other` is in the causal past of `event` (both from replay_order)."""
    return bool(event["past"] >> other["index"] & 1)


@dataclass
class Write:
    """One event's value for a fact."""

    event: dict
    value: object


Same = Callable[[tuple, object, object], bool]


class Facts:
    """Single-valued facts (a case's problem, a goal's text, a cycle's termination…): for each, the writes no
    later write had seen (its heads). One head is the value; several that differ are a conflict, and the
    value shown meanwhile is the later head by sort_key."""

    def __init__(self, same: Same):
        self.heads: dict[tuple, list[Write]] = {}
        self.same = same

    def write(self, key: tuple, event: dict, value: object) -> object:
        """Record a write in replay order; returns the fact's value now."""
        kept = [head for head in self.heads.get(key, ()) if not had_seen(event, head.event)]
        self.heads[key] = [*kept, Write(event, value)]
        return self.value(key)

    def value(self, key: tuple) -> object:
        """The fact's value, provisional while in conflict."""
        return self.sides(key)[-1].value

    def sides(self, key: tuple) -> list[Write]:
        """The fact's heads, the provisional one last."""
        return sorted(self.heads[key], key=lambda head: sort_key(head.event))

    def in_conflict(self) -> list[tuple]:
        """The facts whose heads hold different values, in the order they were first written."""
        return [
            key
            for key, heads in self.heads.items()
            if any(not self.same(key, heads[0].value, head.value) for head in heads[1:])
        ]


def conflict_code(case_uuid: str, what: object) -> str:
    """A short name for a conflict, the same on every copy (`resolve` takes it or a prefix)."""
    text = case_uuid + "\x1f" + json.dumps(what, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:10]
