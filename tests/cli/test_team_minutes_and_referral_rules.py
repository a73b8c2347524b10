"""The helping-system review: a family (mezzo) case, its members' cases, the team, referrals and the ecomap,
worked end to end as a team and its supervisor would, and the defects that review found."""

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused


@pytest.fixture
def family(cli) -> str:
    """A family case at intervention, with a social worker and a teacher on its team."""
    case = str(
        cli.json(
            "open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent", "--date", "2026-03-02"
        )["id"]
    )
    cli.ok("assess", case, "--domain", "housing=1", "--date", "2026-03-03")
    cli.ok("plan", case, "--goal", "Rent arrears paid off", "--date", "2026-03-04")
    cli.ok("team", "add", case, "Rina", "--role", "social-worker", "--date", "2026-03-02")
    cli.ok("team", "add", case, "Bu Wati", "--role", "teacher", "--date", "2026-03-02")
    return case


def test_team_minutes_count_the_work_linked_to_the_person_not_work_typed_under_their_name_later(cli, family):
    cli.ok(
        "intervene",
        family,
        "--activity",
        "counselling",
        "--note",
        "School talk",
        "--minutes",
        "40",
        "--by",
        "bu wati",
        "--date",
        "2026-03-12",
    )
    cli.ok("team", "remove", family, "Bu Wati", "--date", "2026-06-01")
    # After she left, a call typed under her name is not on the team (show counts it so)
    cli.ok(
        "intervene",
        family,
        "--activity",
        "phone-call",
        "--note",
        "Called",
        "--minutes",
        "10",
        "--by",
        "Bu Wati",
        "--date",
        "2026-06-05",
    )
    team = {person["name"]: person["minutes"] for person in cli.json("team", "list", family, "--all")}
    assert team == {"Rina": 0, "Bu Wati": 40}
    by_role = {row["role"]: row["minutes"] for row in cli.json("show", family)["contact_minutes"]["by_role"]}
    assert by_role == {"teacher": 40, None: 10}


def test_a_person_added_to_the_team_again_has_their_own_minutes(cli, family):
    cli.ok(
        "intervene",
        family,
        "--activity",
        "counselling",
        "--note",
        "First term",
        "--minutes",
        "40",
        "--by",
        "Bu Wati",
        "--date",
        "2026-03-12",
    )
    cli.ok("team", "remove", family, "Bu Wati", "--date", "2026-04-01")
    cli.ok("team", "add", family, "Bu Wati", "--role", "teacher", "--date", "2026-05-01")
    cli.ok(
        "intervene",
        family,
        "--activity",
        "counselling",
        "--note",
        "Second term",
        "--minutes",
        "25",
        "--by",
        "Bu Wati",
        "--date",
        "2026-05-12",
    )
    minutes = [person["minutes"] for person in cli.json("team", "list", family, "--all") if person["name"] == "Bu Wati"]
    assert minutes == [40, 25]


def test_an_erased_cases_team_keeps_its_minutes(cli, family):
    cli.ok(
        "intervene",
        family,
        "--activity",
        "home-visit",
        "--note",
        "Visit",
        "--minutes",
        "45",
        "--by",
        "Rina",
        "--date",
        "2026-03-10",
    )
    cli.ok("terminate", family, "--reason", "withdrew", "--summary", "Asked to stop", "--date", "2026-06-10")
    cli.ok("forget", family, "--yes")
    assert [person["minutes"] for person in cli.json("team", "list", family, "--all")] == [45, 0]


def test_a_referral_after_consent_was_withdrawn_says_it_was_withdrawn_not_that_it_was_never_recorded(
    cli, db_path, family
):
    cli.ok("consent", family, "--withdrawn", "--date", "2026-06-14")
    message = refused(cli, db_path, ExitCode.STEP_REFUSED, "refer", family, "--to", "LBH Jakarta", "--service", "Aid")
    assert "withdrew consent on 2026-06-14" in message
    assert "not recorded" not in message
    never = str(cli.json("open", "Siti", "--level", "mikro", "--problem", "Depression")["id"])
    assert "not recorded" in refused(
        cli, db_path, ExitCode.STEP_REFUSED, "refer", never, "--to", "Puskesmas", "--service", "Psychiatric"
    )


def test_an_erased_family_case_takes_no_new_linked_cases(cli, db_path, family):
    cli.ok("terminate", family, "--reason", "withdrew", "--summary", "Asked to stop", "--date", "2026-06-10")
    cli.ok("forget", family, "--yes")
    message = refused(
        cli,
        db_path,
        ExitCode.STEP_REFUSED,
        "open",
        "Dewi",
        "--level",
        "mikro",
        "--problem",
        "School",
        "--consent",
        "--part-of",
        family,
    )
    assert f"case {family} was erased" in message
    child = str(cli.json("open", "Dewi", "--level", "mikro", "--problem", "School", "--consent")["id"])
    refused(cli, db_path, ExitCode.STEP_REFUSED, "link", child, "--part-of", family)
    assert cli.json("show", family)["parts"] == []


def test_a_closed_case_without_members_or_team_offers_no_command_that_would_be_refused(cli, family):
    case = str(cli.json("open", "Siti", "--level", "mikro", "--problem", "Depression", "--date", "2026-06-01")["id"])
    cli.ok("terminate", case, "--reason", "moved", "--summary", "Moved away")
    assert cli.ok("member", "list", case).stdout.strip() == f"Case {case} has no members."
    assert cli.ok("team", "list", case).stdout.strip() == f"Case {case} has no team."
    assert cli("member", "add", case, "Ibu", "--role", "mother").exit_code == ExitCode.STEP_REFUSED
    other = str(cli.json("open", "Budi", "--level", "mikro", "--problem", "School")["id"])
    assert "lingkaran member add" in cli.ok("member", "list", other).stdout


@pytest.mark.parametrize("table", ["member", "team"])
def test_a_person_cannot_leave_before_they_joined(cli, db_path, family, table):
    role = "grandmother" if table == "member" else "community-leader"
    cli.ok(table, "add", family, "Nenek", "--role", role, "--date", "2026-06-10")
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, table, "remove", family, "Nenek", "--date", "2026-06-01")
    assert "--date 2026-06-01 is before Nenek was added (2026-06-10)" in message
    cli.ok(table, "remove", family, "Nenek", "--date", "2026-06-10")


def test_a_referral_outcome_cannot_be_dated_before_its_last_change(cli, db_path, family):
    cli.ok("refer", family, "--to", "Dinas Sosial", "--service", "PKH", "--date", "2026-06-01")
    cli.ok("referral", "update", "1", "--status", "accepted", "--date", "2026-06-10")
    message = refused(
        cli, db_path, ExitCode.INVALID_INPUT, "referral", "update", "1", "--status", "completed", "--date", "2026-06-05"
    )
    assert "--date 2026-06-05 is before the referral became accepted (2026-06-10)" in message
    # a move that is not allowed is named as such, whatever its date
    assert "cannot become" in refused(
        cli, db_path, ExitCode.STEP_REFUSED, "referral", "update", "1", "--status", "declined", "--date", "2026-06-05"
    )
    cli.ok("referral", "update", "1", "--status", "completed", "--date", "2026-06-10")


def test_work_caught_up_from_paper_counts_for_a_team_member_who_has_left_since(cli, family):
    cli.ok("team", "remove", family, "Bu Wati", "--date", "2026-06-01")
    # typed on 15 June, done on 20 May while she was still on the team
    cli.ok(
        "intervene",
        family,
        "--activity",
        "counselling",
        "--note",
        "School talk",
        "--minutes",
        "40",
        "--by",
        "Bu Wati",
        "--date",
        "2026-05-20",
    )
    # done after she left: not the team's work
    cli.ok(
        "intervene",
        family,
        "--activity",
        "phone-call",
        "--note",
        "Called",
        "--minutes",
        "10",
        "--by",
        "Bu Wati",
        "--date",
        "2026-06-05",
    )
    by_role = {row["role"]: row["minutes"] for row in cli.json("show", family)["contact_minutes"]["by_role"]}
    assert by_role == {"teacher": 40, None: 10}
    assert {p["name"]: p["minutes"] for p in cli.json("team", "list", family, "--all")} == {"Rina": 0, "Bu Wati": 40}


def test_a_record_caught_up_from_paper_may_name_a_member_who_has_left_since(cli, db_path, family):
    cli.ok("member", "add", family, "Pak Hartono", "--role", "father", "--date", "2026-03-02")
    cli.ok("member", "remove", family, "Pak Hartono", "--reason", "Moved out", "--date", "2026-05-01")
    cli.ok(
        "intervene",
        family,
        "--activity",
        "home-visit",
        "--note",
        "Talked with the father",
        "--minutes",
        "30",
        "--member",
        "pak hartono",
        "--date",
        "2026-04-20",
    )
    cli.ok("assess", family, "--domain", "housing=2", "--member", "Pak Hartono", "--date", "2026-04-21")
    events = cli.json("log", family)
    assert [e["data"]["member"] for e in events if e["kind"] in ("intervene", "assess")][-2:] == [
        "Pak Hartono",
        "Pak Hartono",
    ]
    # after he left he is not a member any more: refused with the current members
    message = refused(
        cli,
        db_path,
        ExitCode.INVALID_INPUT,
        "intervene",
        family,
        "--activity",
        "phone-call",
        "--note",
        "Called",
        "--member",
        "Pak Hartono",
        "--date",
        "2026-05-02",
    )
    assert "'Pak Hartono' is not a current member" in message


def test_an_erased_cases_referral_is_not_marked_overdue_anywhere(cli, family):
    cli.ok("refer", family, "--to", "SLB", "--service", "Special school", "--due", "2026-06-01", "--date", "2026-04-11")
    cli.ok("terminate", family, "--reason", "referred", "--summary", "Placed", "--date", "2026-06-10")
    assert "⚠" in cli.ok("referral", "list").stdout
    cli.ok("forget", family, "--yes")
    assert cli.json("referral", "list", "--overdue") == []
    assert [r["overdue"] for r in cli.json("show", family)["referrals"]] == [False]
    assert "⚠" not in cli.ok("referral", "list").stdout
    assert "⚠" not in cli.ok("show", family).stdout
