"""What each writer had seen: the replay order follows parents (ties by clock, device, uuid), legacy events
follow one another by clock, and a single-valued fact keeps every head no later write had seen."""

import random

from lingkaran.domain import causal


def event(uuid: str, parents: list[str] | None, clock: str, device: str = "d1", **more) -> dict:
    return {"uuid": uuid, "parents": parents, "clock": clock, "device": device, "id": 0, **more}


def test_parents_come_first_and_concurrent_events_follow_their_clocks():
    events = [event("c", ["a"], "3", "d2"), event("b", ["a"], "2"), event("a", [], "1"), event("d", ["b", "c"], "0")]
    ordered = causal.replay_order(events)
    assert [e["uuid"] for e in ordered] == ["a", "b", "c", "d"]  # d's clock is behind, but it saw b and c
    by_uuid = {e["uuid"]: e for e in ordered}
    assert causal.had_seen(by_uuid["d"], by_uuid["b"]) and causal.had_seen(by_uuid["d"], by_uuid["a"])
    assert not causal.had_seen(by_uuid["c"], by_uuid["b"]) and not causal.had_seen(by_uuid["b"], by_uuid["c"])


def test_legacy_events_follow_one_another_by_clock_whatever_their_stored_parents():
    events = [event("l2", [], "2", "legacy"), event("l1", [], "1", "legacy"), event("n", ["l2"], "3")]
    ordered = causal.replay_order(events)
    assert [e["uuid"] for e in ordered] == ["l1", "l2", "n"]
    assert causal.had_seen(ordered[2], ordered[0]) and causal.had_seen(ordered[1], ordered[0])


def test_a_loop_of_parents_in_a_damaged_log_leaves_no_event_out():
    events = [event("a", ["b"], "1"), event("b", ["a"], "2"), event("c", [], "0")]
    assert sorted(e["uuid"] for e in causal.replay_order(events)) == ["a", "b", "c"]


def test_any_arrival_order_gives_the_same_replay_order():
    events = [
        event("a", [], "1"),
        event("b", ["a"], "5", "d2"),
        event("c", ["a"], "4"),
        event("d", ["c"], "6"),
        event("e", ["b", "d"], "7"),
    ]
    expected = [e["uuid"] for e in causal.replay_order([dict(e) for e in events])]
    for seed in range(10):
        shuffled = [dict(e) for e in events]
        random.Random(seed).shuffle(shuffled)
        assert [e["uuid"] for e in causal.replay_order(shuffled)] == expected


def _facts(writes: list[tuple[dict, object]]) -> causal.Facts:
    facts = causal.Facts(lambda key, one, other: one == other)
    ordered = causal.replay_order([written for written, _value in writes])
    values = {written["uuid"]: value for written, value in writes}
    for written in ordered:
        facts.write(("problem",), written, values[written["uuid"]])
    return facts


def test_a_write_that_saw_the_previous_one_replaces_it():
    facts = _facts([(event("a", [], "1"), "x"), (event("b", ["a"], "2"), "y")])
    assert facts.value(("problem",)) == "y" and facts.in_conflict() == []


def test_writes_neither_saw_are_a_conflict_shown_by_the_later_clock_until_one_saw_both():
    writes = [(event("a", [], "1"), "x"), (event("b", ["a"], "3", "d2"), "from d2"), (event("c", ["a"], "2"), "d1")]
    facts = _facts(writes)
    assert facts.in_conflict() == [("problem",)]
    assert [side.value for side in facts.sides(("problem",))] == ["d1", "from d2"]
    assert facts.value(("problem",)) == "from d2"
    settled = _facts([*writes, (event("d", ["b", "c"], "4"), "decided")])
    assert settled.in_conflict() == [] and settled.value(("problem",)) == "decided"


def test_two_writes_of_the_same_value_are_no_conflict():
    facts = _facts([(event("a", [], "1"), "x"), (event("b", ["a"], "2"), "same"), (event("c", ["a"], "3"), "same")])
    assert facts.in_conflict() == []


def test_a_conflict_has_the_same_code_on_every_copy():
    assert causal.conflict_code("case-uuid", ["problem"]) == causal.conflict_code("case-uuid", ["problem"])
    assert causal.conflict_code("case-uuid", ["problem"]) != causal.conflict_code("other", ["problem"])
