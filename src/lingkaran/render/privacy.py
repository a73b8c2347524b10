"""Rich renderables for the privacy commands: the state of the file, an erasure, the retention list."""

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from lingkaran.domain.dates import date_text
from lingkaran.domain.vocabularies import REASON
from lingkaran.messages import _
from lingkaran.render.drawing import table_title


def file_state(result: dict) -> Text:
    """After init, encrypt or decrypt: where the caseload is and whether it is encrypted."""
    text = Text("✔ ", style="green")
    if result["encrypted"]:
        text.append(
            _(
                "{path} is encrypted. Keep the passphrase safe: without it nobody, you included, can open the caseload."
            ).format(path=result["path"])
        )
    else:
        text.append(
            _(
                "{path} is a plain SQLite file: anyone who gets the file can read it. `lingkaran encrypt` encrypts it."
            ).format(path=result["path"])
        )
    return text


def erased_line(erased: dict) -> Text:
    """After forget: what was erased."""
    text = Text("✔ ", style="green")
    if erased.get("already_erased"):
        text.append(
            _(
                "Case {id} was erased on {date}; what an interrupted erasure may have left in the file "
                "(search index, free space, WAL) is gone now."
            ).format(id=erased["case_id"], date=erased["erased_on"])
        )
        return text
    text.append(
        _("Case {id}: personal data erased ({rows} records, {events} events); its figures remain.").format(
            id=erased["case_id"], rows=sum(erased["rows"].values()), events=erased["events"]
        )
    )
    return text


def retention_table(cases: list[dict], years: int) -> RenderableType:
    """`retention`: the closed cases kept past the retention period."""
    if not cases:
        return Text(_("No closed case is older than the retention period ({years} years).").format(years=years))
    erased = cases[0]["erased"]
    title = (
        _("Erased: closed more than {years} years ago")
        if erased
        else _("Closed more than {years} years ago (erase with: lingkaran retention --erase)")
    )
    table = Table(title=table_title(title.format(years=years)), title_justify="left", show_edge=False)
    for header in (_("ID"), _("Client"), _("Level"), _("Closed"), _("Reason"), _("Kept until")):
        table.add_column(header, overflow="fold")
    for case in cases:
        table.add_row(
            str(case["id"]),
            Text(case["client"] or _("(erased)")),
            case["level"],
            date_text(case["closed_on"]),
            REASON.label(case["close_reason"]),
            date_text(case["kept_until"]),
        )
    return table
