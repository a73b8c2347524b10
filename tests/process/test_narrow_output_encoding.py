"""stdout in an encoding that cannot hold every character (PYTHONIOENCODING=ascii, a latin-1 locale on an old
server): characters it cannot hold leave as JSON's \\uXXXX escapes, so `--json` stays valid JSON with the same
content and the views for people still print, instead of a UnicodeEncodeError traceback."""

import json

from tests.helpers import run_lingkaran

ASCII = {"PYTHONIOENCODING": "ascii"}


def test_json_through_an_ascii_stdout_is_the_same_json(cli):
    case = cli.json("open", "Dédé 🙂 Rahmawati", "--level", "mikro", "--problem", "Putus sekolah ●", "--consent")
    shown = run_lingkaran("show", str(case["id"]), "--json", env=ASCII)
    assert shown.returncode == 0 and shown.stdout.isascii(), shown.stderr
    assert json.loads(shown.stdout)["client"] == "Dédé 🙂 Rahmawati"
    listed = run_lingkaran("list", "--json", env=ASCII)
    assert listed.returncode == 0 and json.loads(listed.stdout)[0]["problem"] == "Putus sekolah ●"


def test_views_for_people_print_through_an_ascii_stdout(cli, active_case):
    cli.ok("open", "Dédé", "--level", "mikro", "--problem", "p")
    for args in [("list",), ("show", active_case), ("dashboard",), ("search", "Dédé")]:
        result = run_lingkaran(*args, env=ASCII)
        assert result.returncode == 0 and result.stderr == "", (args, result.stderr[-300:])
    assert "D\\u00e9d\\u00e9" in run_lingkaran("list", env=ASCII).stdout
