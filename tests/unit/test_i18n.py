"""Bahasa Indonesia: the catalogs are complete and current, nothing bypasses them, and both languages work."""

import ast
import json
import re
import runpy
import string
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from lingkaran.cli import commands, translate
from lingkaran.domain import assessment_domains
from lingkaran.errors import ExitCode
from lingkaran.messages import choose_language, set_language

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "lingkaran"
LOCALE = PACKAGE / "locale"
PO = LOCALE / "id" / "LC_MESSAGES" / "lingkaran.po"
MO = LOCALE / "id" / "LC_MESSAGES" / "lingkaran.mo"
POT = LOCALE / "lingkaran.pot"
RERUN = "run `.venv/bin/python scripts/update-catalog`, translate what it lists, run it again (docs/i18n.md)"


def _read_po(path: Path):
    with path.open("rb") as file:
        return read_po(file, locale="id" if path.suffix == ".po" else None)


def _ids(catalog) -> set[str]:
    return {message.id if isinstance(message.id, str) else message.id[0] for message in catalog if message.id}


@pytest.fixture(scope="module")
def catalog_tool():
    return runpy.run_path(str(ROOT / "scripts" / "update-catalog"))


# --- the catalogs ---------------------------------------------------------------------------------------------


def test_every_message_in_the_code_is_in_the_template(catalog_tool):
    in_code, in_template = _ids(catalog_tool["template"]()), _ids(_read_po(POT))
    assert in_code - in_template == set(), f"new messages not in lingkaran.pot: {RERUN}"
    assert in_template - in_code == set(), f"lingkaran.pot holds messages the code no longer has: {RERUN}"


def test_every_translatable_string_in_the_code_reaches_the_extractor(catalog_tool):
    """Babel's extractor misses a `_()` inside an f-string and an `N_()` nested in another `_()`: find them all."""
    extracted = _ids(catalog_tool["template"]())
    missed = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "N_", "ngettext")
                and node.args
            ):
                continue
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            if isinstance(first, ast.JoinedStr):
                missed.append(f"{where}: an f-string inside {node.func.id}(); use .format() after it")
            elif isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value not in extracted:
                missed.append(
                    f"{where}: {node.func.id}({first.value!r}) is not extracted; take it out of the "
                    "f-string or the enclosing call"
                )
    assert missed == []


def test_command_docstrings_are_collected_as_messages(catalog_tool):
    texts = {text for text, _ in catalog_tool["command_docstrings"]()}
    assert "Assessment: rate life domains, note strengths, needs and risk." in texts
    assert "Store a preference." in texts  # a command of the `config` group


def test_every_message_has_an_indonesian_translation_and_none_is_fuzzy(catalog_tool):
    catalog = _read_po(PO)
    assert _ids(catalog) == _ids(_read_po(POT)), f"lingkaran.po and lingkaran.pot differ: {RERUN}"
    untranslated, fuzzy = catalog_tool["problems"](catalog)
    assert untranslated == [], f"untranslated: {RERUN}"
    assert fuzzy == [], "fuzzy translations: check each one, remove `#, fuzzy`, then rerun scripts/update-catalog"


def test_the_compiled_catalog_matches_the_po_file():
    def entries(catalog) -> dict:
        def plain(value):
            return value if isinstance(value, str) else tuple(value)

        return {
            plain(message.id): plain(message.string)
            for message in catalog
            if message.id and not message.fuzzy and all(plain(message.string))
        }  # .mo files skip the rest

    with MO.open("rb") as file:
        compiled = entries(read_mo(file))
    written = entries(_read_po(PO))
    assert compiled == written, "lingkaran.mo is stale: run `.venv/bin/python scripts/update-catalog`"


def _fields(text: str) -> set[str]:
    return {name for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def test_translations_keep_every_placeholder_of_their_message():
    for message in _read_po(PO):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for translated in filter(None, strings):  # missing translations are the completeness test's to report
            assert _fields(translated) == _fields(ids[-1]), (message.id, translated)
            # Help is drawn with Rich markup: a stray [word] in a translation would vanish from the screen.
            assert translated.count("[") == ids[-1].count("["), (message.id, translated)


# --- nothing bypasses the catalog -----------------------------------------------------------------------------

# Calls whose arguments a person reads, and keyword arguments that hold words for people.
SINK_CALLS = {
    "InvalidInput",
    "StepRefused",
    "NoSuchCase",
    "DatabaseUnusable",
    "Interrupted",
    "LingkaranError",
    "Text",
    "show",
    "print",
    "fail",
    "echo",
    "secho",
    "BadParameter",
    "Table",
    "Panel",
    "Rule",
    "confirm",
    "prompt",
    "select",
    "checkbox",
    "autocomplete",
    "Choice",
    "split_pair",
}
SINK_METHODS = {"print", "add_column", "add_row", "log", "rule", "status", "echo", "secho", "confirm", "prompt"}
SINK_MODULES = {"questionary", "typer", "click"}  # every call of these modules' functions shows its words
SINK_KEYWORDS = {"help", "title", "caption", "message", "instruction", "short_help", "epilog", "prompt", "shape"}
WORDS = re.compile(r"[A-Za-z]{2,}")
# The program's name, flags, placeholders (TEXT, N=LEVEL) and snake_case names (columns, settings) are the same
# in every language.
NOT_WORDS = re.compile(r"lingkaran|--[a-z][a-z-]*|\b[A-Z][A-Z_]+\b|\b[a-z]+(?:_[a-z0-9]+)+\b")


def _has_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return WORDS.search(NOT_WORDS.sub("", node.value)) is not None
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    return False


def _callee(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _is_sink(func: ast.expr, name: str) -> bool:
    if not isinstance(func, ast.Attribute):
        return name in SINK_CALLS
    owner = ast.unparse(func.value)
    if owner in ("sys.stdout", "sys.stderr"):
        return name == "write"
    return name in SINK_METHODS or owner in SINK_MODULES and name not in ("Option", "Argument", "Typer", "Exit")


def bypassing_strings(source: str, filename: str = "<code>") -> list[str]:
    """Literal words passed straight to something a person reads, and strings built before `_()` sees them."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _callee(node)
        if name in ("_", "N_", "ngettext"):
            built = [
                arg
                for arg in node.args
                if isinstance(arg, (ast.JoinedStr, ast.BinOp))
                or isinstance(arg, ast.Call)
                and _callee(arg) in ("format", "join")
            ]
            found += [f"{filename}:{node.lineno}: {name}() of a built string: {ast.unparse(arg)}" for arg in built]
            continue
        arguments = list(node.args) if _is_sink(node.func, name) else []
        arguments += [keyword.value for keyword in node.keywords if keyword.arg in SINK_KEYWORDS]
        found += [f"{filename}:{node.lineno}: {ast.unparse(arg)}" for arg in arguments if _has_words(arg)]
    return found


def test_no_user_facing_string_in_the_code_bypasses_the_catalog():
    found = [
        problem
        for path in sorted(PACKAGE.rglob("*.py"))
        for problem in bypassing_strings(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert found == [], "wrap these in _() from lingkaran.messages (see docs/i18n.md)"


def test_the_bypass_check_catches_unwrapped_words():
    bad = """
raise InvalidInput("case not found")
raise StepRefused(f"case {case} is closed")
console.print("Saved " + path)
sys.stderr.write("lingkaran: no such case")
answer = questionary.select("Which step?", choices=steps).ask()
typer.echo("Done")
option = typer.Option(help="The client's name.")
table.add_column("Client")
message = _(f"case {case} is closed")
"""
    assert len(bypassing_strings(bad)) == 9
    good = 'raise InvalidInput(_("case {case} not found").format(case=case))\nshow(Text("●", style="green"))'
    assert bypassing_strings(good) == []


# --- the language choice --------------------------------------------------------------------------------------


def test_language_is_the_flag_then_the_variable_then_the_locale_then_english():
    assert choose_language("id", "en", ["en_US.UTF-8"]) == "id"
    assert choose_language(None, "id", ["en_US.UTF-8"]) == "id"
    assert choose_language(None, None, [None, "id_ID.UTF-8"]) == "id"
    assert choose_language(None, None, ["C.UTF-8"]) == "en"
    assert choose_language(None, None, [None, None]) == "en"


def test_stored_language_preference_is_used_and_the_variable_and_flag_override_it(lingkaran, opened_case):
    assert lingkaran("config", "set", "lang", "id").returncode == 0
    assert "Asesmen" in lingkaran("show", opened_case).stdout
    assert "Assessment" in lingkaran("show", opened_case, env={"LINGKARAN_LANG": "en"}).stdout
    assert "Assessment" in lingkaran("--lang", "en", "show", opened_case).stdout


def test_an_indonesian_locale_gives_indonesian(lingkaran, opened_case):
    assert "Asesmen" in lingkaran("show", opened_case, env={"LANG": "id_ID.UTF-8"}).stdout


def test_an_unknown_language_flag_is_refused(cli):
    result = cli("--lang", "fr", "list")
    assert result.exit_code == ExitCode.INVALID_INPUT and "--lang 'fr'" in result.stderr


# --- both languages at work -----------------------------------------------------------------------------------


def test_show_in_indonesian_names_the_steps_and_the_facts(cli, active_case):
    output = cli.ok("--lang", "id", "show", active_case).stdout
    for word in (
        "Asesmen",
        "Perencanaan",
        "Intervensi",
        "Terminasi",
        "Klien",
        "Persetujuan",
        "Tujuan",
        "kunjungan rumah",
        "Kegiatan terakhir",
        "Berikutnya:",
        "Kasus 1 · Siti Rahmawati",
        "1 Jun 2026",
    ):
        assert word in output, word
    for english in ("Assessment", "Client", "Consent", "Goals", "Recent activities", "home-visit", "Next:"):
        assert english not in output, english


def test_log_in_indonesian_labels_activities_and_domains(cli, active_case):
    output = cli.ok("--lang", "id", "log", active_case).stdout
    assert "kronologi" in output and "Pendidikan 2" in output and "kunjungan rumah: First visit" in output


def test_a_refused_step_in_indonesian_is_indonesian_and_writes_nothing(cli, opened_case):
    result = cli("--lang", "id", "plan", opened_case, "--goal", "Kembali sekolah")
    assert result.exit_code == ExitCode.STEP_REFUSED
    assert (
        result.stderr == f"lingkaran: kasus {opened_case} memerlukan tahap Asesmen terlebih dahulu: "
        f"jalankan `lingkaran assess {opened_case} --domain NAME=1..5`\n"
    )
    assert cli.json("show", opened_case)["goals"] == []


def test_usage_errors_in_indonesian_are_indonesian(lingkaran):
    unknown = lingkaran("--lang", "id", "list", "--bogus")
    assert unknown.returncode == ExitCode.INVALID_INPUT
    assert unknown.stderr == "lingkaran: Opsi tidak dikenal: --bogus (lihat `lingkaran list --help`)\n"
    not_a_number = lingkaran("--lang", "id", "intervene", "1", "--minutes", "many")
    assert "bukan bilangan bulat" in not_a_number.stderr and not_a_number.stdout == ""


def test_help_in_indonesian_is_indonesian(lingkaran):
    root = lingkaran("--help", env={"LINGKARAN_LANG": "id"}).stdout
    for word in ("Penggunaan:", "Opsi", "Perintah", "Asesmen: nilai domain", "Tampilkan pesan ini lalu keluar."):
        assert word in root, word
    command = lingkaran("--lang", "id", "terminate", "--help").stdout
    for word in ("Terminasi: tutup kasus", "Argumen", "[bawaan: today]", "pindah"):
        assert word in command, word
    assert "Usage" not in command and "Show this message" not in command


def test_help_in_english_keeps_typers_words(lingkaran):
    output = lingkaran("terminate", "--help").stdout
    assert "Usage:" in output and "Termination: close the case" in output and "[default: today]" in output


def test_json_is_the_same_in_both_languages(cli, active_case):
    cli.ok("evaluate", active_case, "--score", "1=+1", "--decision", "terminate", "--date", "2026-06-10")
    cli.ok("terminate", active_case, "--reason", "goals-met", "--summary", "Back at school", "--date", "2026-06-11")
    for command in (["show", active_case], ["list", "--all"], ["log", active_case]):
        english = cli.json(*command)
        assert cli.json("--lang", "id", *command) == english, command


def test_the_demo_caseload_is_indonesian_in_indonesian(cli, tmp_path):
    output = cli.ok("--lang", "id", "--db", tmp_path / "demo.db", "demo").stdout
    for word in ("Keluarga Hartono", "Dusun Sukamaju", "Puskesmas", "Mei 2026"):
        assert word in output, word


# --- values typed in Indonesian, shown in Indonesian, stored in English ---------------------------------------


def test_indonesian_words_are_accepted_as_input_and_stored_as_the_english_values(cli):
    case = str(cli.json("open", "Keluarga Hartono", "--level", "meso", "--problem", "Digusur")["id"])
    assessed = cli.json(
        "assess", case, "--domain", "pola-asuh=2", "--domain", "Relasi keluarga=3", "--risk", "tinggi"
    )  # a family's domains (a family is not rated on mental health)
    assert assessed["ratings"] == {"parenting": 2, "family": 3} and assessed["risk"] == "high"
    cli.ok("plan", case, "--goal", "Tempat tinggal tetap")
    assert cli.json("intervene", case, "--activity", "kunjungan rumah", "--note", "x")["kind"] == "home-visit"
    assert cli.json("evaluate", case, "--score", "1=0", "--decision", "lanjut")["decision"] == "continue"
    assert cli.json("terminate", case, "--reason", "pindah", "--summary", "Pindah ke Medan")["reason"] == "moved"
    assert cli.json("show", case)["level"] == "mezzo"
    assert [c["id"] for c in cli.json("list", "--all", "--phase", "terminasi")] == [int(case)]


def test_every_domain_has_an_indonesian_name():
    assert [name for name in assessment_domains.domain_names() if not assessment_domains._load()[name].get("id")] == []
    set_language("id")
    assert assessment_domains.domain_label("mental-health") == "Kesehatan jiwa"
    set_language("en")


def test_dates_read_naturally_in_each_language():
    from lingkaran.render.rich_views import date_text

    assert date_text("2026-11-28") == "28 Nov 2026" and date_text("2026-05-01") == "1 May 2026"
    set_language("id")
    assert [date_text(f"2026-{month:02d}-28") for month in (5, 8, 10, 12)] == [
        "28 Mei 2026",
        "28 Agu 2026",
        "28 Okt 2026",
        "28 Des 2026",
    ]
    set_language("en")


@pytest.mark.parametrize(
    "english, indonesian",
    [
        (
            "No such option: --bogus (Possible options: --all)",
            "Opsi tidak dikenal: --bogus (mungkin maksud Anda: --all)",
        ),
        ("No such command 'foo'.", "Perintah 'foo' tidak dikenal."),
        ("Missing argument 'key'.", "Argumen 'key' belum diberikan."),
        ("Option '--level' requires an argument.", "Opsi '--level' memerlukan nilai."),
        ("Got unexpected extra argument(s) (a b)", "Ada argumen tambahan yang tidak diharapkan (a b)"),
        (
            "Invalid value for '--minutes': 'x' is not a valid integer.",
            "Nilai '--minutes' tidak sah: 'x' bukan bilangan bulat.",
        ),
        ("Something click says that we do not know", "Something click says that we do not know"),
    ],
)
def test_clicks_usage_errors_are_translated(english, indonesian):
    assert translate.usage_error_text(english) == english
    set_language("id")
    assert translate.usage_error_text(english) == indonesian
    set_language("en")


def test_clicks_real_messages_match_a_template(cli):
    for args in (
        ["list", "--bogus"],
        ["nosuch"],
        ["config", "get"],
        ["open", "--level"],
        ["list", "a"],
        ["intervene", "1", "--minutes", "x"],
    ):
        message = cli(*args).stderr.removeprefix("lingkaran: ").rsplit(" (see `", 1)[0]
        assert any(translate._template_pattern(template).match(message) for template in translate.CLICK_ERRORS), message


def test_every_command_gets_the_localized_help_classes():
    def built(command):
        yield command
        for sub_command in getattr(command, "commands", {}).values():
            yield from built(sub_command)

    every = [each for entry in commands.COMMANDS for each in built(commands.load(entry.name))]
    assert len(every) > len(commands.COMMANDS)
    assert all(isinstance(command, translate.LocalizedHelp) for command in every)


def test_config_list_describes_settings_in_indonesian(cli):
    assert "Bahasa antarmuka: en atau id." in cli.ok("--lang", "id", "config", "list").stdout
    assert json.loads(cli.ok("--lang", "id", "config", "list", "--json").stdout)["lang"] is None


def test_a_command_group_without_its_command_shows_help_and_no_empty_error(lingkaran):
    result = lingkaran("--lang", "id", "config")
    assert result.returncode == ExitCode.INVALID_INPUT and result.stderr == ""
    assert "Simpan preferensi." in result.stdout


def test_the_report_in_indonesian_shows_the_practice_words_for_stored_values(cli, active_case):
    cli.ok("evaluate", active_case, "--score", "1=+1", "--decision", "terminate", "--date", "2026-06-10")
    cli.ok("terminate", active_case, "--reason", "goals-met", "--summary", "Back at school", "--date", "2026-06-11")
    output = cli.ok("--lang", "id", "report", active_case).stdout
    for word in ("Laporan kasus", "kunjungan rumah", "keputusan: terminasi", "alasan", "tujuan tercapai", "ditutup"):
        assert word in output, word
    for english in ("home-visit", "goals-met", "Case report"):
        assert english not in output, english
