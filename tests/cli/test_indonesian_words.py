"""Indonesian words typed for stored values, and stored values shown as the interface language's words."""

import pytest

from lingkaran.domain import vocabularies
from lingkaran.errors import ExitCode
from lingkaran.messages import set_language
from tests.helpers import DOWN, ENTER, answer, refused

IN_BOTH_LANGUAGES = pytest.mark.parametrize("lang", [[], ["--lang", "id"]], ids=["default", "id"])

# Every set of stored values a flag takes.
CHOICE_SETS = [vocabulary for vocabulary in vocabularies.ALL.values() if vocabulary.flag]


def test_no_alias_is_also_a_value():
    for vocabulary in CHOICE_SETS:
        assert not set(vocabulary.aliases) & set(vocabulary.values), vocabulary.flag


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_word_lingkaran_shows_for_a_value_can_be_typed_back(language):
    set_language(language)
    for vocabulary in CHOICE_SETS:
        for value in vocabulary.values:
            shown = vocabulary.label(value).split(":")[0]  # a level's label is "mikro: individu"
            assert vocabulary.parse(shown) == value, (shown, value)
            assert vocabulary.parse(value) == value


@IN_BOTH_LANGUAGES
def test_team_roles_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    added = cli.json(*lang, "team", "add", opened_case, "Bu Ani", "--role", "Tokoh Masyarakat")
    assert added["role"] == "community-leader"
    assert cli.json(*lang, "team", "add", opened_case, "Rina", "--role", "pendamping")["role"] == "social-worker"
    assert [person["role"] for person in cli.json(*lang, "team", "list", opened_case)] == [
        "community-leader",
        "social-worker",
    ]


@IN_BOTH_LANGUAGES
def test_referral_statuses_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    sent = cli.json(*lang, "refer", opened_case, "--to", "Puskesmas", "--service", "Konseling")
    referral = str(sent["referral_id"])
    assert cli.json(*lang, "referral", "update", referral, "--status", "diterima")["status"] == "accepted"
    assert cli.json(*lang, "referral", "update", referral, "--status", "SELESAI")["status"] == "completed"


@IN_BOTH_LANGUAGES
def test_ecomap_kind_tie_and_flow_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    drawn = cli.json(
        *lang,
        "ecomap",
        "add",
        opened_case,
        "SD Negeri 5",
        "--kind",
        "sekolah",
        "--tie",
        "renggang",
        "--flow",
        "dua arah",
    )
    assert (drawn["kind"], drawn["tie"], drawn["flow"]) == ("school", "tenuous", "both")
    cli.ok(
        *lang,
        "ecomap",
        "add",
        opened_case,
        "Pak RT",
        "--kind",
        "lingkungan",
        "--tie",
        "penuh_tekanan",
        "--flow",
        "keluar",
    )
    assert [
        (s["system"], s["kind"], s["tie"], s["flow"]) for s in cli.json(*lang, "ecomap", opened_case)["systems"]
    ] == [("SD Negeri 5", "school", "tenuous", "both"), ("Pak RT", "neighbourhood", "stressful", "out")]


@IN_BOTH_LANGUAGES
def test_an_unknown_indonesian_word_is_refused_with_the_stored_values_and_writes_nothing(
    cli, db_path, opened_case, lang
):
    message = refused(
        cli, db_path, ExitCode.INVALID_INPUT, *lang, "ecomap", "add", opened_case, "Masjid", "--tie", "erat"
    )
    assert "'erat'" in message and "stressful, tenuous, strong" in message
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, *lang, "team", "add", opened_case, "X", "--role", "dukun")
    assert "'dukun'" in message and "social-worker" in message


# --- stored values shown in the interface language ------------------------------------------------------------


@pytest.fixture
def long_closed_case(cli) -> str:
    """A case closed in 2019, past the five-year retention period on 2026-06-15."""
    case = str(cli.json("open", "Budi", "--level", "mikro", "--problem", "Debts", "--date", "2018-03-01")["id"])
    cli.ok("terminate", case, "--reason", "moved", "--summary", "Moved to Medan", "--date", "2019-02-01")
    return case


def test_retention_shows_the_reason_in_the_interface_language_and_json_keeps_the_value(cli, long_closed_case):
    shown = cli.ok("--lang", "id", "retention").stdout
    assert "pindah domisili" in shown and "moved" not in shown
    assert "moved" in cli.ok("--lang", "en", "retention").stdout
    assert cli.json("--lang", "id", "retention")[0]["close_reason"] == "moved"


def test_team_and_referral_confirmations_use_the_interface_language(cli, opened_case):
    assert (
        "(psikolog) masuk tim"
        in cli.ok("--lang", "id", "team", "add", opened_case, "Bu Ani", "--role", "psychologist").stdout
    )
    cli.ok("refer", opened_case, "--to", "Puskesmas", "--service", "Konseling")
    assert "Puskesmas: diterima." in cli.ok("--lang", "id", "referral", "update", "1", "--status", "accepted").stdout
    assert cli.json("--lang", "id", "referral", "list")[0]["status"] == "accepted"


def test_a_refused_referral_move_names_the_statuses_in_the_interface_language(cli, db_path, opened_case):
    cli.ok("refer", opened_case, "--to", "Puskesmas", "--service", "Konseling")
    cli.ok("referral", "update", "1", "--status", "declined")
    message = refused(
        cli, db_path, ExitCode.STEP_REFUSED, "--lang", "id", "referral", "update", "1", "--status", "selesai"
    )
    assert "berstatus ditolak tidak dapat menjadi selesai" in message


def test_show_names_team_roles_and_linked_case_status_in_the_interface_language(cli, active_case):
    cli.ok("team", "add", active_case, "Rina", "--role", "community-leader")
    cli.ok("intervene", active_case, "--activity", "phone-call", "--note", "n", "--by", "Rina", "--minutes", "15")
    family = str(cli.json("open", "Keluarga Rahmawati", "--level", "mezzo", "--problem", "p")["id"])
    cli.ok("link", active_case, "--part-of", family)
    shown = cli.ok("--lang", "id", "show", active_case).stdout
    assert "tokoh masyarakat 15" in shown and "community-leader" not in shown
    assert "(mezzo, aktif)" in shown


def test_a_goal_that_is_not_open_is_named_in_the_interface_language(cli, db_path, active_case):
    cli.ok("plan", active_case, "--drop", "2")
    message = refused(
        cli,
        db_path,
        ExitCode.INVALID_INPUT,
        "--lang",
        "id",
        "intervene",
        active_case,
        "--activity",
        "telepon",
        "--note",
        "n",
        "--goal",
        "2",
    )
    assert "tujuan 2 dibatalkan" in message


def test_the_guided_summary_shows_chosen_values_in_the_interface_language(cli, opened_case, monkeypatch):
    from lingkaran.cli.session import Session

    monkeypatch.setattr(Session, "interactive", lambda self: not self.no_input)
    result = answer(
        cli,
        "--lang",
        "id",
        "terminate",
        opened_case,
        keys=[DOWN, ENTER, "Dirujuk ke pusat remaja.", ENTER, ENTER, ENTER, "Pusat remaja", ENTER, ENTER],
    )
    assert result.exit_code == 0, result.stderr
    assert "Alasan: dirujuk" in result.screen
    assert cli.json("show", opened_case)["close_reason"] == "referred"


# --- the termination reasons of practice ---------------------------------------------------------------------


def test_the_termination_reasons_are_those_practice_names_plus_other():
    set_language("id")
    assert [vocabularies.REASON.label(reason) for reason in vocabularies.REASON.values] == [
        "tujuan tercapai",
        "masa layanan berakhir",
        "dirujuk",
        "dialihkan ke pekerja sosial lain",
        "klien mengundurkan diri",
        "pindah domisili",
        "meninggal dunia",
        "lainnya",
    ]


@IN_BOTH_LANGUAGES
def test_a_service_period_that_ended_closes_a_case_at_any_step(cli, active_case, lang):
    closed = cli.json(
        *lang,
        "terminate",
        active_case,
        "--reason",
        "Masa Layanan Berakhir",
        "--summary",
        "Six months of assistance ended",
    )
    assert closed["reason"] == "service-ended"
    assert cli.json(*lang, "show", active_case)["close_reason"] == "service-ended"
    assert cli.json(*lang, "stats")["closed_by_reason"] == [{"reason": "service-ended", "cases": 1}]


def test_a_service_period_that_ended_reads_in_each_language(cli, lingkaran, active_case):
    cli.ok("terminate", active_case, "--reason", "service-ended", "--summary", "Six months ended")
    for lang, word in (("en", "service-ended"), ("id", "masa layanan berakhir")):
        assert word in cli.ok("--lang", lang, "stats").stdout
        assert word in cli.ok("--lang", lang, "show", active_case).stdout
        assert word in cli.ok("--lang", lang, "report", active_case).stdout
    help_words = "".join(lingkaran("--lang", "id", "terminate", "--help").stdout.split())  # help wraps at hyphens
    assert "service-ended(masa-layanan-berakhir)" in help_words
    assert "service-ended" in lingkaran("terminate", "--help").stdout
