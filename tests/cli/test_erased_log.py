"""`lingkaran log` of an erased case reads like any other: each event named in words of the interface language
(never its stored code), under the step it was told under before the erasure, with its content gone."""

import re

import pytest

STEPS = ("Engagement", "Assessment", "Planning", "Intervention", "Termination", "Follow-up")


@pytest.fixture
def erased_case(cli, active_case) -> str:
    """Case 1 with notes, consent, a referral, a team member, an ecomap entry, a close and a follow-up; erased."""
    cli.ok("note", active_case, "Called her mother")
    cli.ok("consent", active_case, "--given", "--scope", "referrals", "--date", "2026-06-05")
    cli.ok("refer", active_case, "--to", "LBH Jakarta", "--service", "Legal aid", "--date", "2026-06-05")
    cli.ok("team", "add", active_case, "Dr. Ahmad", "--role", "doctor", "--date", "2026-06-05")
    cli.ok(
        "ecomap",
        "add",
        active_case,
        "School",
        "--kind",
        "school",
        "--tie",
        "strong",
        "--flow",
        "both",
        "--date",
        "2026-06-05",
    )
    cli.ok(
        "terminate",
        active_case,
        "--reason",
        "withdrew",
        "--summary",
        "Moved away",
        "--date",
        "2026-06-06",
        "--follow-up",
        "2026-06-12",
    )
    cli.ok("monitor", active_case, "--note", "Doing well", "--date", "2026-06-12")
    cli.ok("forget", active_case, "--yes")
    return active_case


def _event_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if re.match(r"\s+\d{1,2} \w+ \d{4}\s", line)]


def test_every_event_kind_a_command_writes_has_a_label():
    from lingkaran.render.rich_views import EVENT_LABELS

    kinds = {
        "open",
        "assess",
        "plan",
        "intervene",
        "monitor",
        "evaluate",
        "terminate",
        "reopen",
        "note",
        "amend",
        "consent",
        "member-add",
        "member-remove",
        "team-add",
        "team-remove",
        "link",
        "unlink",
        "refer",
        "referral-update",
        "ecomap-add",
        "ecomap-remove",
    }
    assert kinds <= EVENT_LABELS.keys()


def test_an_erased_case_log_names_events_in_words_not_codes(cli, erased_case):
    lines = _event_lines(cli.ok("log", erased_case).stdout)
    erased = [line for line in lines if "(content erased)" in line]
    assert len(erased) == len(lines) - 1  # all but the erasure itself
    what = [line.split(None, 4)[4] for line in erased]  # after the date (three words) and the event id
    assert what == [
        "case opened (content erased)",
        "assessment (content erased)",
        "plan (content erased)",
        "activity (content erased)",
        "note (content erased)",
        "consent (content erased)",
        "referral (content erased)",
        "joined the team (content erased)",
        "ecomap: system added (content erased)",
        "termination (content erased)",
        "follow-up (content erased)",
    ]


def test_an_erased_follow_up_stays_under_follow_up(cli, erased_case):
    output = cli.ok("log", erased_case).stdout
    steps = [line.strip() for line in output.splitlines() if line.startswith("  ") and not line.startswith("    ")]
    assert steps == [*STEPS, "Termination"]  # the last: the erasure, recorded at the case's step


def test_an_erased_case_log_in_indonesian_has_no_english_or_codes(cli, erased_case):
    lines = _event_lines(cli.ok("--lang", "id", "log", erased_case).stdout)
    assert "kasus dibuka (isinya sudah dihapus)" in lines[0]
    for code in ("open", "assess", "intervene", "team-add", "ecomap-add", "terminate", "monitor", "refer"):
        assert not any(f" {code} (" in line for line in lines), code


def test_an_erased_case_log_json_keeps_the_stable_codes(cli, erased_case):
    events = cli.json("log", erased_case)
    assert [event["kind"] for event in events][:3] == ["open", "assess", "plan"]
    assert all(event["data"] == {"erased": True} for event in events[:-1])
    assert events[-1]["kind"] == "forget"
