"""The commands: one module per command group, each with its own Typer app, and the table the root group reads
so that `--help` loads none of them and a command loads only its own module."""

import importlib
from typing import NamedTuple

import typer
from typer._click import Command as ClickCommand

from lingkaran.cli.interrupt import hand_ctrl_c_to_the_command
from lingkaran.cli.translate import localize, translate_help
from lingkaran.messages import N_


class Command(NamedTuple):
    """A command of the root group: its name, the module of cli/commands/ that holds it, its one-line help."""

    name: str
    module: str
    help: str


# The root's commands in the order of `--help` (tests/unit/test_command_table.py keeps this table true to the
# modules: the same names, and each help the first line of the command's own).
COMMANDS = (
    Command("open", "steps", N_("Engagement: open a new case and print its number.")),
    Command("assess", "steps", N_("Assessment: rate life domains, note strengths, needs and risk.")),
    Command("plan", "steps", N_("Planning: set goals with weights, target dates and GAS levels.")),
    Command("intervene", "steps", N_("Intervention: record one activity with the client.")),
    Command("monitor", "steps", N_("Monitoring: progress on goals; after termination, a follow-up contact.")),
    Command("evaluate", "steps", N_("Evaluation: score each goal, compute the GAS T-score, decide what comes next.")),
    Command("terminate", "steps", N_("Termination: close the case with a reason and a summary.")),
    Command("reopen", "steps", N_("Reopen a closed case: the next cycle starts at assessment.")),
    Command(
        "contact",
        "contact",
        N_("A contact at any step (an intake visit, an assessment session): it counts, needs no plan, moves no step."),
    ),
    Command("list", "cases", N_("List active cases (all with --all), one line each with its cycle strip.")),
    Command("show", "cases", N_("Show one case: its ring around the cycle, goals, domains and recent work.")),
    Command("log", "cases", N_("Show a case's timeline: every event, oldest first, by cycle and step.")),
    Command(
        "client",
        "client",
        N_('Who the client is and how to reach them: show it, or change it with flags ("" clears a field).'),
    ),
    Command(
        "link",
        "helping_system",
        N_("Make a case part of a family, group or community case (both cases show the link)."),
    ),
    Command("unlink", "helping_system", N_("Undo a link made with `link` (the log keeps that it existed).")),
    Command("refer", "helping_system", N_("Refer the client to another agency (needs the client's consent).")),
    Command(
        "dashboard",
        "agenda",
        N_(
            "The caseload at a glance: cases by step, follow-ups due, overdue referrals, silent cases, missing consent."
        ),
    ),
    Command(
        "due",
        "agenda",
        N_("The agenda: follow-ups, goal target dates and referrals, overdue first, with the command to record each."),
    ),
    Command(
        "supervise",
        "supervise",
        N_("For a supervisor: one line an active case with step, last contact, next visit, risk and what is overdue."),
    ),
    Command(
        "review", "supervise", N_("Record a supervisor's review of a case: who, what they said, and what they decided.")
    ),
    Command(
        "note", "notes", N_("Add a free note to a case at any step (closed cases too); it appears in the timeline.")
    ),
    Command(
        "amend",
        "notes",
        N_(
            "Correct a recorded text (a note, activity, assessment, evaluation, termination; the client's "
            "name, problem)."
        ),
    ),
    Command(
        "search",
        "search",
        N_("Search notes, problems, assessments, goals, activities, summaries, members, team, referrals and ecomaps."),
    ),
    Command(
        "stats",
        "stats",
        N_("Caseload figures: opened, closed by reason, active by step and level, contacts, T-scores."),
    ),
    Command("report", "report", N_("Write a case report (Markdown or HTML) for a supervisor or a receiving agency.")),
    Command("paper", "papers", N_("Papers to print and sign: the case plan, the consent form, a referral letter.")),
    Command("export", "exchange", N_("Export the caseload or one case, with its events, as JSON, NDJSON or CSV.")),
    Command(
        "import",
        "exchange",
        N_("Import a bundle from a colleague, a lingkaran export (idempotent by UUID) or a CSV of cases."),
    ),
    Command(
        "bundle", "sync", N_("Write the events a colleague needs as one file, encrypted with the team's passphrase.")
    ),
    Command(
        "share",
        "assignments",
        N_("Share a case with a colleague on the agency hub: they receive it at their next sync."),
    ),
    Command(
        "handover",
        "assignments",
        N_(
            "Hand a case over to a colleague: they receive its whole history; your laptop drops it after its last sync."
        ),
    ),
    Command(
        "conflicts",
        "conflicts",
        N_("List what two copies of the caseload wrote without seeing each other, with every side, until settled."),
    ),
    Command(
        "resolve",
        "conflicts",
        N_("Settle a conflict with one of its sides (or a new text), or mark a record to review as seen."),
    ),
    Command("init", "privacy", N_("Create the caseload file (encrypted with --encrypt) and print where it is.")),
    Command(
        "encrypt",
        "privacy",
        N_("Encrypt the caseload with a passphrase (from --key-file, LINGKARAN_KEY_FILE or a prompt)."),
    ),
    Command(
        "decrypt",
        "privacy",
        N_("Turn an encrypted caseload back into a plain SQLite file (anyone with the file can then read it)."),
    ),
    Command(
        "rekey", "privacy", N_("Change the passphrase of an encrypted caseload (backups made before keep the old one).")
    ),
    Command("consent", "privacy", N_("Record the client giving or withdrawing consent, with its scope and date.")),
    Command(
        "forget", "privacy", N_("Erase a closed case's personal data for good, keeping only de-identified figures.")
    ),
    Command(
        "retention",
        "privacy",
        N_("List closed cases kept longer than the retention period (config retention_years); --erase erases them."),
    ),
    Command(
        "check",
        "backup",
        N_("Check the caseload: damage, broken links, schema, records against the audit chain, file permissions."),
    ),
    Command("backup", "backup", N_("Back up the caseload to a private file (safe while lingkaran is in use).")),
    Command(
        "restore",
        "backup",
        N_("Replace the caseload with a backup, after checking it; the current file is kept as a backup."),
    ),
    Command("demo", "demo", N_("Build a sample caseload of a dozen cases in a separate demo file and show it.")),
    Command(
        "member",
        "helping_system",
        N_("The client system: members of a family or group, groups and leaders of a community."),
    ),
    Command("team", "helping_system", N_("The intervention system: the people who carry out the work.")),
    Command("referral", "helping_system", N_("Referrals out to other agencies: list them, record their outcome.")),
    Command(
        "ecomap",
        "ecomap",
        N_(
            "The ecomap: the client's systems and ties. `ecomap CASE` shows it; `ecomap add|remove CASE "
            "SYSTEM` changes it."
        ),
    ),
    Command("visit", "visits", N_("Planned visits: a schedule per case and for the worker.")),
    Command(
        "sync",
        "sync",
        N_(
            "Working as a team: sync with the agency hub; what this caseload holds, to compare and exchange "
            "with colleagues."
        ),
    ),
    Command("config", "settings", N_("Your preferences: worker name, language, thresholds.")),
    Command("hub", "hub", N_("The agency hub: the PostgreSQL database that the team's laptops sync through.")),
)

BY_NAME = {command.name: command for command in COMMANDS}


def command_app(**settings) -> typer.Typer:
    """A module's Typer app: plain help like the root's (Rich help imports rich.markdown and pygments)."""
    return typer.Typer(rich_markup_mode=None, **settings)


def load(name: str) -> ClickCommand | None:
    """The named root command, built from its module (imported now), with its help in the interface language."""
    entry = BY_NAME.get(name)
    if entry is None:
        return None
    module_app = importlib.import_module(f"{__name__}.{entry.module}").app
    localize(module_app)
    command = typer.main.get_group(module_app).commands[name]
    translate_help(command)
    hand_ctrl_c_to_the_command()
    return command


def module_apps() -> list[typer.Typer]:
    """Every command module's Typer app, each module imported (for the catalog tool and the tests)."""
    modules = dict.fromkeys(command.module for command in COMMANDS)
    return [importlib.import_module(f"{__name__}.{module}").app for module in modules]
