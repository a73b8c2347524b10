"""The helping-system review: a family (mezzo) case, its members' cases, the team, referrals and the ecomap,
worked end to end as a team and its supervisor would, and the defects that review found."""

import pytest


@pytest.fixture
def family(cli) -> str:
    """A family case at intervention, with a social worker and a teacher on its team."""
    case = str(cli.json("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent",
                        "--date", "2026-03-02")["id"])
    cli.ok("assess", case, "--domain", "housing=1", "--date", "2026-03-03")
    cli.ok("plan", case, "--goal", "Rent arrears paid off", "--date", "2026-03-04")
    cli.ok("team", "add", case, "Rina", "--role", "social-worker", "--date", "2026-03-02")
    cli.ok("team", "add", case, "Bu Wati", "--role", "teacher", "--date", "2026-03-02")
    return case


def test_team_minutes_count_the_work_linked_to_the_person_not_work_typed_under_their_name_later(cli, family):
    cli.ok("intervene", family, "--activity", "counselling", "--note", "School talk", "--minutes", "40",
           "--by", "bu wati", "--date", "2026-03-12")
    cli.ok("team", "remove", family, "Bu Wati", "--date", "2026-06-01")
    # After she left, a call typed under her name is not on the team (show counts it so)
    cli.ok("intervene", family, "--activity", "phone-call", "--note", "Called", "--minutes", "10",
           "--by", "Bu Wati", "--date", "2026-06-05")
    team = {person["name"]: person["minutes"] for person in cli.json("team", "list", family, "--all")}
    assert team == {"Rina": 0, "Bu Wati": 40}
    by_role = {row["role"]: row["minutes"] for row in cli.json("show", family)["contact_minutes"]["by_role"]}
    assert by_role == {"teacher": 40, None: 10}


def test_a_person_added_to_the_team_again_has_their_own_minutes(cli, family):
    cli.ok("intervene", family, "--activity", "counselling", "--note", "First term", "--minutes", "40",
           "--by", "Bu Wati", "--date", "2026-03-12")
    cli.ok("team", "remove", family, "Bu Wati", "--date", "2026-04-01")
    cli.ok("team", "add", family, "Bu Wati", "--role", "teacher", "--date", "2026-05-01")
    cli.ok("intervene", family, "--activity", "counselling", "--note", "Second term", "--minutes", "25",
           "--by", "Bu Wati", "--date", "2026-05-12")
    minutes = [person["minutes"] for person in cli.json("team", "list", family, "--all")
               if person["name"] == "Bu Wati"]
    assert minutes == [40, 25]


def test_an_erased_cases_team_keeps_its_minutes(cli, family):
    cli.ok("intervene", family, "--activity", "home-visit", "--note", "Visit", "--minutes", "45",
           "--by", "Rina", "--date", "2026-03-10")
    cli.ok("terminate", family, "--reason", "withdrew", "--summary", "Asked to stop", "--date", "2026-06-10")
    cli.ok("forget", family, "--yes")
    assert [person["minutes"] for person in cli.json("team", "list", family, "--all")] == [45, 0]
