"""Work recorded with `contact` and then merged keeps `check` clean: the record audit knows the contact event."""


def test_a_contact_and_a_joint_visit_leave_check_clean(cli, planned_case):
    cli.ok("team", "add", planned_case, "Pak Budi", "--role", "teacher", "--date", "2026-06-03")
    cli.ok(
        "contact",
        planned_case,
        "--activity",
        "intake",
        "--note",
        "Intake at home",
        "--minutes",
        "30",
        "--date",
        "2026-06-03",
    )
    cli.ok(
        "intervene",
        planned_case,
        "--activity",
        "home-visit",
        "--note",
        "Together",
        "--goal",
        "1",
        "--by",
        "Bu Dian",
        "--by",
        "Pak Budi",
        "--date",
        "2026-06-04",
    )
    assert cli.json("check")["ok"] is True
