"""The root's table of commands (cli/commands/__init__.py) stays true to the command modules, and a run loads only
the module of the command it runs."""

import subprocess
import sys

from lingkaran.cli import commands, translate


def test_the_table_names_every_command_of_the_modules_and_no_other():
    in_modules = {
        info.name or info.callback.__name__ for app in commands.module_apps() for info in app.registered_commands
    } | {group.name for app in commands.module_apps() for group in app.registered_groups}
    assert set(commands.BY_NAME) == in_modules
    assert len(commands.BY_NAME) == len(commands.COMMANDS)


def test_each_command_is_found_in_the_module_the_table_names():
    for entry in commands.COMMANDS:
        module = sys.modules.get(f"lingkaran.cli.commands.{entry.module}") or __import__(
            f"lingkaran.cli.commands.{entry.module}", fromlist=["app"]
        )
        names = {info.name or info.callback.__name__ for info in module.app.registered_commands} | {
            group.name for group in module.app.registered_groups
        }
        assert entry.name in names, entry


def test_each_one_line_help_is_the_first_line_of_the_commands_own_help():
    for entry in commands.COMMANDS:
        own = commands.load(entry.name).help
        assert own.splitlines()[0] == translate._(entry.help), entry.name


def modules_loaded_by(*arguments: str) -> set[str]:
    code = (
        "import sys\nsys.argv = ['lingkaran', *sys.argv[1:]]\nfrom lingkaran.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\n'.join(m for m in sys.modules if m.startswith('lingkaran.cli.commands.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={"LINGKARAN_LANG": "en", "PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
    )
    return {line for line in done.stderr.splitlines() if line.startswith("lingkaran.cli.commands.")}


def test_help_loads_no_command_module_and_a_command_loads_only_its_own():
    assert modules_loaded_by("--help") == set()
    assert modules_loaded_by("show", "--help") == {"lingkaran.cli.commands.cases"}
    assert modules_loaded_by("ecomap", "--help") == {"lingkaran.cli.commands.ecomap"}
