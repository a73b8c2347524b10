"""Envelopes as a laptop writes them (the event contract of issue 14), for the hub tests and the benchmark."""

import hashlib
import json
import uuid


def canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Device:
    """A laptop's copy of a caseload, writing envelopes with a gapless sequence and a hash chain."""

    def __init__(self):
        self.device, self.seq, self.prev_hash, self.heads = str(uuid.uuid4()), 0, None, {}

    def event(self, case_uuid: str | None, kind: str, data: dict | None = None) -> dict:
        self.seq += 1
        text = canonical(data if data is not None else {"text": f"{kind} {self.seq}"})
        content_hash = hashlib.sha256(text.encode()).hexdigest()
        event_uuid = str(uuid.uuid4())
        chained = hashlib.sha256(f"{self.prev_hash}|{event_uuid}|{content_hash}".encode()).hexdigest()
        envelope = {
            "uuid": event_uuid,
            "device": self.device,
            "seq": self.seq,
            "clock": f"2026-06-15T10:00:00.{self.seq:06d}",
            "parents": sorted(self.heads.get(case_uuid, [])),
            "case_uuid": case_uuid,
            "kind": kind,
            "phase": None,
            "cycle": 1 if case_uuid else None,
            "occurred_on": "2026-06-15",
            "recorded_at": "2026-06-15T10:00:00+00:00",
            "data": text,
            "content_hash": content_hash,
            "prev_hash": self.prev_hash,
            "hash": chained,
        }
        self.prev_hash, self.heads[case_uuid] = chained, [event_uuid]
        return envelope

    def new_case(self, name: str = "Siti Rahmawati", notes: int = 2) -> tuple[str, list[dict]]:
        """A case opened on this device with a few notes: its uuid and its events."""
        case_uuid = str(uuid.uuid4())
        events = [self.event(case_uuid, "open", {"client": name, "level": "mikro"})]
        events += [self.event(case_uuid, "note", {"text": f"Visit {number}, ibu {name} ✓"}) for number in range(notes)]
        return case_uuid, events
