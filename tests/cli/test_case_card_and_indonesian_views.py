"""Found walking a week of field work in Bahasa Indonesia: numbers, words and screens that came out wrong."""

import json

from tests.helpers import ENTER, terminal


def test_log_prints_an_evaluations_t_score_with_two_decimals_like_evaluate(cli, active_case):
    for level in ("0", "+1"):  # T = 50 exactly, then 50 + 10·(3+1)/√(0.7·10 + 0.3·16)
        cli.ok("evaluate", active_case, "--score", f"1={level}", "--score", f"2={level}", "--decision", "continue")
    timeline = cli.ok("log", active_case).stdout
    assert "T-score 50.00 → continue" in timeline and "T-score 61.64 → continue" in timeline
    assert "T-score 50.0 " not in timeline


def test_the_indonesian_ecomap_key_stays_on_one_line_of_80_columns(cli, opened_case):
    cli.ok("ecomap", "add", opened_case, "SD Negeri 3", "--kind", "sekolah", "--tie", "renggang", "--flow", "both")
    lines = cli.ok("--lang", "id", "ecomap", opened_case).stdout.splitlines()
    key = next(line for line in lines if line.startswith("═══ kuat"))
    assert key.rstrip().endswith("▶ ◀ aliran energi dan sumber daya")  # not wrapped onto a line of its own


def test_after_an_evaluation_decides_to_reassess_show_suggests_assessing_again(cli, active_case):
    cli.ok("evaluate", active_case, "--score", "1=-1", "--decision", "reassess", "--date", "2026-06-10")
    assert cli.json("show", active_case)["next"][0] == f"lingkaran assess {active_case} --domain NAME=1..5"
    cli.ok("assess", active_case, "--domain", "education=1", "--date", "2026-06-05")  # paper notes: older
    assert cli.json("show", active_case)["next"][0].startswith(f"lingkaran assess {active_case} ")
    cli.ok("assess", active_case, "--domain", "education=2", "--date", "2026-06-11")  # the reassessment
    assert cli.json("show", active_case)["next"] == [f"lingkaran plan {active_case} --goal TEXT"]


def test_the_indonesian_case_card_names_the_reassessment_as_the_next_step(cli, active_case):
    cli.ok("evaluate", active_case, "--score", "1=-1", "--decision", "asesmen-ulang")
    card = cli.ok("--lang", "id", "show", active_case).stdout
    assert f"Berikutnya: lingkaran assess {active_case} --domain NAME=1..5" in card


def test_the_indonesian_team_table_does_not_head_phone_numbers_like_a_count_of_contacts(cli, planned_case):
    cli.ok("team", "add", planned_case, "Bu Dian", "--role", "psikolog", "--contact", "0812 3456 789")
    cli.ok("intervene", planned_case, "--activity", "konseling", "--note", "n", "--by", "Bu Dian", "--minutes", "60")
    header = next(
        line for line in cli.ok("--lang", "id", "team", "list", planned_case).stdout.splitlines() if "Nama" in line
    )
    assert "Kontak" in header and "Hubungi" not in header  # the column holds contact details (issue 17)
    stats = cli.ok("--lang", "id", "stats").stdout
    assert "Jumlah kontak" in stats  # the number of contacts is said so, not headed like contact details


def test_the_indonesian_agenda_keeps_its_case_column_straight(cli, active_case):
    cli.ok("monitor", active_case, "--note", "n", "--follow-up", "2026-06-18")
    cli.ok("plan", active_case, "--target", "1=2026-06-15")
    cli.ok("plan", active_case, "--target", "2=2026-06-05", "--date", "2026-06-05")
    lines = [line for line in cli.ok("--lang", "id", "due").stdout.splitlines() if "#" in line]
    assert len(lines) == 3 and len({line.index("#") for line in lines}) == 1, lines


def test_check_names_its_findings_in_indonesian(cli, opened_case, db_path):
    db_path.chmod(0o644)
    problems = [line for line in cli("--lang", "id", "check").stdout.splitlines() if line.startswith("✘")]
    assert problems and all(line.startswith("✘ izin akses: ") for line in problems), problems
    findings = json.loads(cli("--lang", "id", "check", "--json").stdout)["findings"]
    assert {finding["check"] for finding in findings} == {"permissions"}  # scripts keep the key


def test_a_catch_up_follow_up_still_ahead_is_kept_when_the_case_has_none(cli, active_case):
    # Today the weights were revised (a plan step on 06-15); then the home-visit notes of 06-10 are typed in.
    cli.ok("plan", active_case, "--weight", "2=2")
    shown = cli.json(
        "monitor", active_case, "--note", "paper notes", "--follow-up", "2026-06-25", "--date", "2026-06-10"
    )
    assert shown["follow_up_on"] == "2026-06-25"
    assert cli.json("show", active_case)["follow_up_on"] == "2026-06-25"
    assert [item["due_on"] for item in cli.json("due", "--within", "30") if item["kind"] == "follow-up"] == [
        "2026-06-25"
    ]


def test_a_catch_up_follow_up_before_the_latest_step_is_still_left_out(cli, active_case):
    cli.ok("plan", active_case, "--weight", "2=2")
    cli.ok("monitor", active_case, "--note", "paper notes", "--follow-up", "2026-06-12", "--date", "2026-06-10")
    assert cli.json("show", active_case)["follow_up_on"] is None


def test_show_keeps_the_domain_ratings_after_an_assessment_that_rates_no_domain(cli, planned_case):
    cli.ok("assess", planned_case, "--domain", "education=3", "--date", "2026-06-10")
    cli.ok("assess", planned_case, "--need", "School shoes", "--risk", "high", "--date", "2026-06-12")
    card = cli.ok("show", planned_case).stdout
    assert "Domains (assessed 10 Jun" in card and "Education" in card and "3 safe" in card
    assert "+1 ↑" in card  # education 2 → 3 since the assessment of 2 Jun
    assert [a["assessed_on"] for a in cli.json("show", planned_case)["assessments"]] == ["2026-06-12", "2026-06-10"]


def test_a_table_title_longer_than_its_table_stays_on_one_line(cli, planned_case):
    assert "Kasus aktif menurut tahap dan level\n" in cli.ok("--lang", "id", "stats").stdout
    cli.ok("assess", planned_case, "--domain", "education=3", "--date", "2026-06-10")
    cli.ok("assess", planned_case, "--domain", "family=3", "--date", "2026-06-11")
    assert "Domains (assessed 11 Jun 2026)\n" in cli.ok("--lang", "en", "show", planned_case).stdout


def test_an_empty_list_names_the_filter_as_the_worker_typed_it(cli, opened_case):
    empty = cli.ok("--lang", "id", "list", "--phase", "rencana", "--level", "mezzo").stdout
    assert "--phase rencana --level mezzo" in empty and "planning" not in empty


def test_a_report_writes_a_goal_weight_as_the_case_card_does(cli, planned_case):
    cli.ok("plan", planned_case, "--weight", "2=1.5")
    for form in ("md", "html"):
        report = cli.ok("--lang", "id", "report", planned_case, "--format", form).stdout
        assert "bobot 3 ·" in report and "bobot 1.5 ·" in report and "bobot 3.0" not in report


def test_stats_takes_the_later_of_two_evaluations_on_one_day_like_the_report(cli, active_case):
    cli.ok("evaluate", active_case, "--score", "1=-1", "--decision", "continue", "--date", "2026-06-10")
    cli.ok("evaluate", active_case, "--score", "1=+2", "--decision", "continue", "--date", "2026-06-10")
    assert "| Latest GAS T-score | 70.00 |" in cli.ok("report", active_case).stdout
    assert cli.json("stats")["mean_t_score"] == 70.0


def test_a_long_indonesian_confirmation_puts_the_step_on_a_line_of_its_own(lingkaran, active_case):
    from rich.cells import cell_len

    done = lingkaran(
        "--lang",
        "id",
        "evaluate",
        active_case,
        "--score",
        "1=0",
        "--score",
        "2=0",
        "--decision",
        "lanjut",
        env={"COLUMNS": "80"},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "✔ Kasus 1: dievaluasi, skor-T 50.00, keputusan: lanjutkan intervensi.",
        "  Sekarang: Intervensi",
    ]
    fixed = lingkaran(
        "--lang",
        "id",
        "amend",
        _event(lingkaran, active_case, "intervene"),
        "--note",
        "Kunjungan",
        "--reason",
        "lupa",
        env={"COLUMNS": "80"},
    ).stdout
    assert max(cell_len(line) for line in fixed.splitlines()) <= 80 and fixed.endswith("Sekarang: Intervensi\n")
    short = lingkaran("intervene", active_case, "--activity", "phone-call", "--note", "n", env={"COLUMNS": "80"})
    timeline = json.loads(lingkaran("log", active_case, "--json").stdout)
    event = [event["uuid"][:8] for event in timeline if event["kind"] == "intervene"][-1]  # the one just recorded
    assert short.stdout == f"✔ Case 1: phone-call recorded (event {event}).  Now: Intervention\n"  # on one line


def _event(lingkaran, case: str, kind: str) -> str:
    return next(
        event["uuid"] for event in json.loads(lingkaran("log", case, "--json").stdout) if event["kind"] == kind
    )[:8]


def test_the_next_commands_on_the_card_are_one_a_line_and_never_split(cli, active_case):
    card = cli.ok("--lang", "id", "show", active_case).stdout.splitlines()
    start = next(number for number, line in enumerate(card) if line.startswith("Berikutnya: "))
    assert [line.strip().removeprefix("Berikutnya: ") for line in card[start : start + 3]] == [
        f"lingkaran intervene {active_case} --activity KIND --note TEXT",
        f"lingkaran monitor {active_case} --note TEXT",
        f"lingkaran evaluate {active_case} --score N=LEVEL --decision DECISION",
    ]
    assert card[start + 1].startswith(" " * len("Berikutnya: ") + "lingkaran")


def test_a_long_indonesian_choice_question_fits_80_columns_beside_its_hint():
    from questionary import Choice

    from lingkaran.messages import set_language
    from lingkaran.render.plain import cells

    set_language("id")
    question = "Skor-T GAS 50.00 (50 = tujuan tercapai sesuai harapan). Apa langkah berikutnya?"
    with terminal(80, ENTER) as (ask, screen):
        assert ask.select(question, [Choice("lanjutkan", value="continue")]) == "continue"
    drawn = screen.text.getvalue().replace("\r", "").split("\n")
    first = drawn[: next(number for number, line in enumerate(drawn) if "lanjutkan" in line)]
    assert max(cells(line) for line in first) <= 80, first
    assert any(line.startswith("berikutnya? (pakai tombol panah)") for line in first), first


def test_the_case_card_shows_the_latest_risk_level_assessed(cli, planned_case):
    assert "Risk" not in cli.ok("show", planned_case).stdout  # none assessed yet
    cli.ok("assess", planned_case, "--risk", "tinggi", "--need", "A safe place", "--date", "2026-06-10")
    cli.ok("assess", planned_case, "--domain", "education=3", "--date", "2026-06-12")  # no risk this time
    card = cli.ok("--lang", "id", "show", planned_case).stdout
    assert "Risiko" in card and "tinggi (asesmen 10 Jun 2026)" in card
    assert "risk" not in cli.json("--lang", "id", "show", planned_case)  # JSON as before


def test_a_missing_case_number_is_not_called_an_option_in_indonesian(cli, opened_case):
    result = cli("--lang", "id", "--no-input", "note")
    assert result.exit_code == 2
    assert result.stderr == "lingkaran: CASE, TEXT belum diisi; tuliskan di baris perintah (lihat --help)\n"
