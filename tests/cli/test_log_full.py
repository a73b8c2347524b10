"""`log`: every event with the id `amend` takes, the member it concerns and who did the work; `--full` cuts
nothing. The steps print the id of the event they wrote."""

LONG_NOTE = (
    "Home visit: the mother says Siti has not slept well since her father died; she wants to go back to "
    "school after the holidays if the fees can be paid, and her uncle offered to help with the uniform."
)


def test_log_shows_each_events_id_the_member_and_who_went(cli, active_case):
    cli.ok("member", "add", active_case, "Ibu Wati", "--role", "mother")
    visit = cli.json(
        "intervene",
        active_case,
        "--activity",
        "home-visit",
        "--note",
        "Talked with her mother",
        "--member",
        "Ibu Wati",
        "--by",
        "Rina",
        "--by",
        "Pak Ahmad",
        "--date",
        "2026-06-05",
    )
    log = " ".join(cli.ok("log", active_case).stdout.split())
    assert f"{visit['event_uuid'][:8]} home-visit: Talked with her mother (by Rina, Pak Ahmad) (for Ibu Wati)" in log
    assert cli.json("log", active_case, "--json")[-1]["uuid"] == visit["event_uuid"]


def test_one_person_who_did_the_work_is_named_too(cli, active_case):
    cli.ok("intervene", active_case, "--activity", "phone-call", "--note", "Called the school", "--by", "Rina")
    line = next(line for line in cli.ok("log", active_case).stdout.splitlines() if "Called the school" in line)
    assert "(by Rina)" in line


def test_log_cuts_long_texts_to_a_line_and_full_shows_them_whole(cli, active_case):
    cli.ok("intervene", active_case, "--activity", "home-visit", "--note", LONG_NOTE)
    cli.ok("monitor", active_case, "--note", LONG_NOTE)
    cut = " ".join(cli.ok("log", active_case).stdout.split())
    assert "uniform." not in cut and "…" in cut
    whole = " ".join(cli.ok("log", active_case, "--full").stdout.split())
    assert whole.count("her uncle offered to help with the uniform.") == 2


def test_every_step_prints_and_returns_the_id_of_its_event(cli, opened_case, lingkaran):
    assessed = cli.json("assess", opened_case, "--domain", "education=2")
    planned = cli.json("plan", opened_case, "--goal", "Back to school")
    timeline = [event["uuid"] for event in cli.json("log", opened_case, "--json")]
    assert [assessed["event_uuid"], planned["event_uuid"]] == timeline[-2:]
    done = lingkaran("intervene", opened_case, "--activity", "phone-call", "--note", "Called")
    uuid = [event["uuid"] for event in cli.json("log", opened_case, "--json")][-1]
    assert done.returncode == 0 and f"(event {uuid[:8]})" in done.stdout
    amended = cli.json("amend", uuid[:8], "--note", "Called her mother", "--reason", "typo")
    assert amended["amends"] == uuid
