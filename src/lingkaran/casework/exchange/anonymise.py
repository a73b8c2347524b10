"""Anonymising an export: a pseudonym for the client, personal columns and event keys blanked."""

from lingkaran.domain.privacy import PERSONAL_COLUMNS, PERSONAL_EVENT_KEYS
from lingkaran.store import events, tables
from lingkaran.store.tables import Table


def pseudonym(case_uuid: str) -> str:
    """A client's stand-in name: the same for the same case in every export, and says nothing about them."""
    return f"client-{case_uuid[:8]}"


def _blank(value: object, required: bool) -> object:
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return "" if required and isinstance(value, str) else None


def anonymized_record(table: Table, record: dict) -> dict | None:
    """A record with personal columns blanked (the client named by pseudonym); None for unclassified tables."""
    if table.name not in PERSONAL_COLUMNS:
        return None  # a table nobody classified for privacy is left out rather than risk leaking it
    for column in PERSONAL_COLUMNS[table.name]:
        record[column] = _blank(record.get(column), column in table.not_null)
    if table.name == "cases":
        record["client"] = pseudonym(record["uuid"])
    return record


def anonymized_event(event: dict) -> dict:
    """An event with personal keys of its data blanked; data of kinds nobody classified is dropped."""
    data = event["data"]
    if data != {"erased": True}:
        keys = PERSONAL_EVENT_KEYS.get(event["kind"])
        data = (
            {} if keys is None else {key: _blank(value, False) if key in keys else value for key, value in data.items()}
        )
        if event["kind"] == "open" and event["case_uuid"]:
            data["client"] = pseudonym(event["case_uuid"])
    origin_dropped = {name: None for name in tables.ORIGIN_FIELDS}  # new content: no longer the device's event
    return {**event, **origin_dropped, "data": data, "content_hash": events.content_hash(data)}
