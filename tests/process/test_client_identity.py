"""Who the client is and how to reach them: identity and contact details, a guardian for a child, the PPKS
category; personal data shown only where needed, erased by `forget`, left out of anonymised exports."""

import json
import sqlite3

import pytest

NIK = "3201014303110004"
MEMBER_NIK = "3201011208800003"


def open_child(cli, *extra: str) -> str:
    """A 15-year-old street child opened with her guardian's consent; returns the case number."""
    case = cli.json(
        "open",
        "Dewi Lestari",
        "--level",
        "mikro",
        "--problem",
        "Putus sekolah",
        "--born",
        "2011-03-03",
        "--sex",
        "perempuan",
        "--phone",
        "0812-3456-7890",
        "--nik",
        "3201 0143 0311 0004",
        "--address",
        "Kp. Rawa RT 02/RW 05",
        "--guardian",
        "Ibu Sari",
        "--guardian-relation",
        "mother",
        "--guardian-phone",
        "+62 813 1111 2222",
        "--ppks",
        "AJ",
        "--consent",
        "--consent-scope",
        "case management",
        "--date",
        "2026-06-01",
        *extra,
    )
    return str(case["id"])


def case_count(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


def test_open_records_who_the_client_is_and_show_gives_the_age(cli):
    case = open_child(cli)
    shown = cli.json("show", case)
    assert shown["ppks"] == "aj"
    assert shown["identity"] == {
        "sex": "female",
        "born": 2011,
        "born_on": "2011-03-03",
        "address": "Kp. Rawa RT 02/RW 05",
        "phone": "0812-3456-7890",
        "nik": NIK,
        "kk": None,
        "age": 15,
        "guardian": {"name": "Ibu Sari", "relation": "mother", "phone": "+62 813 1111 2222"},
    }
    card = cli.ok("show", case).stdout
    for text in (
        "female, 15 years old (born 3 Mar 2011)",
        "0812-3456-7890",
        NIK,
        "Ibu Sari (mother)",
        "AJ · street child",
        "by the guardian (Ibu Sari)",
    ):
        assert text in card, text


def test_the_list_shows_no_contact_details(cli):
    open_child(cli)
    listed = cli.ok("list").stdout + cli.ok("list", "--json").stdout
    for detail in ("0812", NIK, "Rawa", "Ibu Sari", "2011"):
        assert detail not in listed, detail
    assert cli.json("list")[0]["ppks"] == "aj"  # a category for reporting, like the level


def test_a_year_of_birth_alone_gives_an_age_too(cli):
    case = cli.json("open", "Pak Darto", "--level", "mikro", "--problem", "Terlantar", "--born", "1950", "--ppks", "8")
    shown = cli.json("show", str(case["id"]))
    assert shown["identity"]["born"] == 1950 and shown["identity"]["born_on"] is None
    assert shown["identity"]["age"] == 76 and shown["ppks"] == "lut"


@pytest.mark.parametrize(
    "flags, problem",
    [
        (["--nik", "320101430311000"], "--nik must be 16 digits"),
        (["--kk", "32010143031100AB"], "--kk must be 16 digits"),
        (["--born", "2027-01-01"], "--born 2027-01-01 is in the future"),
        (["--born", "1850"], "--born 1850 is not a year"),
        (["--born", "03/03/2011"], "--born '03/03/2011' is not a date"),
        (["--phone", "call me"], "--phone 'call me' is not a phone number"),
        (["--phone", "08-12+34"], "is not a phone number"),
        (["--sex", "x"], "--sex 'x' is not valid"),
        (["--ppks", "unknown"], "--ppks 'unknown' is not valid"),
    ],
)
def test_bad_identity_values_are_refused_in_one_line_and_nothing_is_written(cli, db_path, flags, problem):
    cli.ok("open", "Other", "--level", "mikro", "--problem", "p")
    result = cli("open", "Dewi", "--level", "mikro", "--problem", "p", *flags)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert case_count(db_path) == 1


def test_a_refused_nik_is_not_repeated_in_the_message(cli):
    result = cli("open", "Dewi", "--level", "mikro", "--problem", "p", "--nik", "32010143031100041")
    assert result.exit_code == 2 and "3201014303" not in result.stderr


def test_a_childs_consent_needs_a_guardian_and_is_recorded_as_theirs(cli, db_path):
    refused = cli(
        "open",
        "Dewi",
        "--level",
        "mikro",
        "--problem",
        "p",
        "--born",
        "2011-03-03",
        "--consent",
        "--consent-scope",
        "case management",
    )
    assert refused.exit_code == 4 and "--guardian NAME" in refused.stderr
    assert case_count(db_path) == 0
    case = open_child(cli)
    consent = cli.json("show", case)["consents"][0]
    assert consent["given_by"] == "Ibu Sari" and consent["scope"] == "case management"
    opened = cli.json("log", case)[0]["data"]
    assert opened["consent_given_by"] == "Ibu Sari" and opened["nik"] == NIK  # the event holds the full content


def test_consent_later_for_a_child_without_a_guardian_is_refused_until_one_is_named(cli):
    case = str(cli.json("open", "Dewi", "--level", "mikro", "--problem", "p", "--born", "2012")["id"])
    refused = cli("consent", case, "--given", "--scope", "case management")
    assert refused.exit_code == 4 and f"lingkaran client {case} --guardian NAME" in refused.stderr
    cli.ok("client", case, "--guardian", "Pak Joko", "--guardian-relation", "father")
    given = cli.json("consent", case, "--given", "--scope", "case management")
    assert given["given_by"] == "Pak Joko"
    assert "(by the guardian: Pak Joko)" in " ".join(cli.ok("log", case).stdout.split())  # however it wraps


def test_an_adults_consent_is_their_own(cli):
    case = str(
        cli.json(
            "open", "Bu Rini", "--level", "mikro", "--problem", "p", "--born", "1990-01-01", "--guardian", "Pak Joko"
        )["id"]
    )
    assert cli.json("consent", case, "--given", "--scope", "case management")["given_by"] is None


def test_client_changes_details_later_and_the_log_names_only_which(cli):
    case = open_child(cli)
    result = cli.json("client", case, "--phone", "0857 1234 5678", "--kk", "3201010101010001", "--address", "")
    assert result["changed"] == ["address", "phone", "kk"]  # in the order a form asks them
    assert result["values"] == {"address": None, "phone": "0857 1234 5678", "kk": "3201010101010001"}
    identity = cli.json("client", case)["identity"]
    assert identity["phone"] == "0857 1234 5678" and identity["address"] is None
    event = cli.json("log", case)[-1]
    assert event["kind"] == "identity" and event["data"]["values"]["kk"] == "3201010101010001"
    log = cli.ok("log", case).stdout
    assert "client's details recorded: address, phone, KK number" in log
    assert "0857" not in log and NIK not in log and "3201010101010001" not in log
    again = cli.json("client", case, "--phone", "0857 1234 5678")
    assert again["changed"] == [] and cli.json("log", case)[-1]["uuid"] == event["uuid"]  # nothing new: no event


def test_members_have_their_own_details(cli):
    case = str(cli.json("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "KDRT")["id"])
    cli.ok(
        "member",
        "add",
        case,
        "Pak Joko",
        "--role",
        "father",
        "--born",
        "1980-08-12",
        "--sex",
        "l",
        "--phone",
        "0813-9999-0000",
        "--nik",
        MEMBER_NIK,
    )
    member = cli.json("member", "list", case)[0]
    assert (member["born"], member["born_on"], member["sex"], member["nik"]) == (1980, "1980-08-12", "male", MEMBER_NIK)
    cli.ok("client", case, "--member", "Pak Joko", "--address", "Jl. Melati 4")
    shown = cli.json("client", case)
    assert shown["members"][0]["address"] == "Jl. Melati 4" and shown["members"][0]["age"] == 45
    card = cli.ok("client", case).stdout
    assert "Pak Joko (father)" in card and "male, 45 years old (born 12 Aug 1980)" in card and MEMBER_NIK in card
    refused = cli("client", case, "--member", "Pak Joko", "--guardian", "X")
    assert refused.exit_code == 2 and "--guardian applies to the case's client" in refused.stderr
    unknown = cli("client", case, "--member", "Nobody", "--phone", "0812345678")
    assert unknown.exit_code == 2 and "'Nobody' is not a current member" in unknown.stderr


def test_search_finds_a_case_by_phone_however_the_number_is_written(cli, lingkaran):
    case = open_child(cli)
    found = cli.json("search", "+62 812-3456-7890")
    assert [(row["case_id"], row["whose"]) for row in found] == [(int(case), "client")]
    assert [row["whose"] for row in cli.json("search", "0813 1111")] == ["guardian"]
    process = lingkaran("search", "081234567890")
    assert process.returncode == 0 and "«0812-3456-7890» client" in process.stdout
    assert cli.json("search", "0899")[:1] == []


def test_search_by_phone_passes_over_cases_and_members_without_one(cli):
    cli.ok("open", "Nobody's phone", "--level", "mezzo", "--problem", "p")
    cli.ok("member", "add", "1", "Budi", "--role", "son")
    case = open_child(cli)
    assert [row["case_id"] for row in cli.json("search", "0812 3456")] == [int(case)]


def test_forget_erases_the_details_and_the_anonymised_export_leaves_them_out(cli, db_path):
    case = open_child(cli)
    cli.ok("member", "add", case, "Pak Joko", "--role", "father", "--nik", MEMBER_NIK, "--phone", "0813-9999-0000")
    anonymised = cli.ok("export", "--anonymize").stdout
    for detail in (NIK, MEMBER_NIK, "0812-3456", "0813-9999", "Rawa", "Ibu Sari", "2011-03-03"):
        assert detail not in anonymised, detail
    assert json.loads(anonymised)["records"][0]["record"]["ppks"] == "aj"
    cli.ok("terminate", case, "--reason", "moved", "--summary", "Moved to Bandung")
    cli.ok("forget", case, "--yes")
    conn = sqlite3.connect(db_path)
    row = conn.execute(
        "SELECT sex, born, born_on, address, phone, nik, kk, guardian, guardian_relation, "
        "guardian_phone, ppks FROM cases"
    ).fetchone()
    member = conn.execute("SELECT born_on, address, phone, nik, kk, sex FROM members").fetchone()
    given_by = conn.execute("SELECT given_by FROM consents").fetchone()
    conn.close()
    assert row == (None,) * 10 + ("aj",) and member == (None,) * 6 and given_by == (None,)


def test_the_client_card_speaks_indonesian(cli):
    case = open_child(cli)
    card = cli.ok("--lang", "id", "client", case).stdout
    assert "perempuan, 15 tahun (lahir 3 Mar 2011)" in card
    assert "AJ · anak jalanan" in card and "Wali" in card


def test_stats_count_cases_opened_by_ppks_category(cli):
    open_child(cli)
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "p", "--ppks", "anak-jalanan", "--date", "2026-06-02")
    cli.ok("open", "Tono", "--level", "mikro", "--problem", "p")
    figures = cli.json("stats")
    assert figures["opened_by_ppks"] == [{"ppks": "aj", "cases": 2}, {"ppks": None, "cases": 1}]
    assert "AJ · street child" in cli.ok("stats").stdout
