"""`lingkaran paper`: the case plan, the consent form and the referral letter to print and sign."""

import re
import stat

import pytest

NASTY_NAME = '<script>alert("x")</script> & O\'Neil'


def text_of(html: str) -> str:
    """What a reader of the printed page sees: the text without tags and styles, on one line."""
    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def referred_case(cli, active_case) -> str:
    """The active case with a GAS level described, a team member, a phone, and a referral to a clinic."""
    cli.ok("plan", active_case, "--gas", "1:0=Attends four days a week", "--date", "2026-06-05")
    cli.ok(
        "team",
        "add",
        active_case,
        "Dr. Ayu",
        "--role",
        "psychologist",
        "--agency",
        "Puskesmas Cempaka",
        "--date",
        "2026-06-05",
    )
    cli.ok(
        "client",
        active_case,
        "--phone",
        "0812-3456-7890",
        "--nik",
        "3201010101010001",
        "--born",
        "2010-02-03",
        "--sex",
        "female",
        "--guardian",
        "Ibu Wati",
        "--guardian-relation",
        "mother",
    )
    cli.ok("note", active_case, "Her father drinks and hits her mother", "--date", "2026-06-05")
    cli.ok("assess", active_case, "--domain", "safety=1", "--risk", "high", "--date", "2026-06-05")
    cli.ok(
        "refer",
        active_case,
        "--to",
        "Puskesmas Cempaka",
        "--service",
        "Counselling for grief",
        "--contact",
        "Bu Dian",
        "--date",
        "2026-06-05",
    )
    return active_case


def test_the_case_plan_holds_the_goals_levels_team_and_lines_to_sign(cli, referred_case, tmp_path):
    path = tmp_path / "plan.html"
    cli.ok("paper", "plan", referred_case, "-o", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    page = text_of(path.read_text())
    for expected in (
        "Case plan",
        "Siti Rahmawati",
        "Goal 1: Back to school",
        "Attends four days a week",
        "much more than expected",
        "Goal 2: Talks with her mother weekly",
        "Dr. Ayu",
        "psychologist",
        "Puskesmas Cempaka",
        "Client: Siti Rahmawati",
        "Parent or guardian: Ibu Wati (mother)",
        "Supervisor",
        "1 June 2026",
    ):
        assert expected in page, expected


def test_in_indonesian_the_plan_speaks_indonesian_and_writes_dates_the_indonesian_way(cli, referred_case):
    page = text_of(cli.ok("--lang", "id", "paper", "plan", referred_case).stdout)
    for expected in (
        "Rencana kasus",
        "Tujuan 1: Back to school",
        "jauh di atas harapan",
        "1 Juni 2026",
        "Siapa mengerjakan apa",
    ):
        assert expected in page, expected
    assert "Case plan" not in page and "June" not in page


def test_the_consent_form_prints_the_scope_asked_and_a_guardian_signs_for_a_child(cli, referred_case):
    page = text_of(cli.ok("paper", "consent", referred_case, "--scope", "Case management and referral").stdout)
    for expected in (
        "Consent form",
        "Name Ibu Wati",
        "mother of Siti Rahmawati",
        "Case management and referral",
        "withdraw this consent",
        "Parent or guardian: Ibu Wati",
        "Social worker",
    ):
        assert expected in page, expected


def test_the_consent_form_prints_the_recorded_scope_when_none_is_asked(cli, opened_case):
    cli.ok("consent", opened_case, "--given", "--scope", "Home visits and school contact", "--date", "2026-06-02")
    page = text_of(cli.ok("--lang", "id", "paper", "consent", opened_case).stdout)
    assert "Home visits and school contact" in page and "Persetujuan dicatat pada 2 Juni 2026." in page


def test_the_referral_letter_holds_only_what_the_receiving_agency_needs(cli, referred_case):
    referral = str(cli.json("referral", "list", referred_case, "--json")[0]["id"])
    page = text_of(cli.ok("paper", "referral", referral, "--reason", "Grieving her father; sleeps badly").stdout)
    for expected in (
        "Referral letter",
        "Puskesmas Cempaka",
        "Siti Rahmawati",
        "0812-3456-7890",
        "Counselling for grief",
        "Grieving her father; sleeps badly",
        "Ibu Wati",
        "Bu Dian",
        "5 June 2026",
    ):
        assert expected in page, expected
    for kept_back in ("Left school", "hits her mother", "high", "3201010101010001", "Back to school", "Safety"):
        assert kept_back not in page, kept_back
    with_ids = text_of(cli.ok("paper", "referral", referral, "--with-id-numbers").stdout)
    assert "3201010101010001" in with_ids


def test_every_value_is_escaped(cli):
    case = str(cli.json("open", NASTY_NAME, "--level", "mikro", "--problem", "<b>bold</b>", "--consent")["id"])
    for paper in ("plan", "consent"):
        html = cli.ok("paper", paper, case).stdout
        assert "<script>" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html


def test_the_agency_and_worker_settings_head_every_paper(cli, opened_case):
    cli.ok("config", "set", "agency", "Dinas Sosial Kota Bogor")
    cli.ok("config", "set", "worker", "Rina Wulandari")
    page = text_of(cli.ok("paper", "plan", opened_case).stdout)
    assert "Dinas Sosial Kota Bogor" in page and "Social worker: Rina Wulandari" in page
    assert "No open goal yet" in text_of(cli.ok("paper", "plan", opened_case).stdout)


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["paper", "plan"], 2, "missing CASE"),
        (["paper", "plan", "99"], 3, "no case"),
        (["paper", "referral", "99"], 2, "no referral"),
        (["paper", "letter", "1"], 2, "No such command"),
    ],
)
def test_bad_requests_say_what_was_wrong_in_one_line(cli, opened_case, args, code, words):
    result = cli(*args)
    assert result.exit_code == code and words in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_an_erased_case_has_no_paper(cli, opened_case):
    cli.ok("terminate", opened_case, "--reason", "moved", "--summary", "Moved away")
    cli.ok("forget", opened_case, "--yes")
    result = cli("paper", "consent", opened_case)
    assert result.exit_code == 2 and "erased" in result.stderr and result.stdout == ""


def test_an_existing_file_is_never_overwritten(cli, opened_case, tmp_path):
    path = tmp_path / "plan.html"
    path.write_text("the signed copy")
    result = cli("paper", "plan", opened_case, "-o", str(path))
    assert result.exit_code != 0 and path.read_text() == "the signed copy"


def test_the_installed_command_writes_a_paper(lingkaran, tmp_path):
    assert lingkaran("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent").returncode == 0
    done = lingkaran(
        "--lang", "id", "paper", "consent", "1", "--scope", "Pendampingan kasus", "-o", str(tmp_path / "consent.html")
    )
    assert done.returncode == 0, done.stderr
    assert "Formulir persetujuan" in (tmp_path / "consent.html").read_text()
