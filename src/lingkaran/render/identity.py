"""Rich renderables for who the client is and how to reach them: the rows `show` adds, and `client`'s card."""

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from lingkaran.domain import identity
from lingkaran.domain.vocabularies import label_of
from lingkaran.messages import _, ngettext
from lingkaran.render.helping_system import done
from lingkaran.render.plain import client_name, date_text


def sex_and_age(person: dict) -> str | None:
    """ "female, 15 (born 3 Mar 2011)": what is known of sex, age and birth, in one phrase (None when nothing)."""
    parts = [label_of(identity.SEX_LABELS, person.get("sex"))] if person.get("sex") else []
    if person.get("age") is not None:
        years = ngettext("{age} year old", "{age} years old", person["age"]).format(age=person["age"])
        born = date_text(person["born_on"]) if person.get("born_on") else str(person.get("born"))
        parts.append(_("{age} (born {born})").format(age=years, born=born))
    return ", ".join(parts) or None


def guardian_text(guardian: dict | None) -> str | None:
    """The guardian, their relation and phone in one phrase."""
    if not guardian:
        return None
    text = guardian["name"] + (f" ({guardian['relation']})" if guardian.get("relation") else "")
    return text + (f" · {guardian['phone']}" if guardian.get("phone") else "")


def identity_rows(details: dict, ppks: str | None = None) -> list[tuple[str, str | None]]:
    """The label and value of each identity and contact detail, in the order a form asks them."""
    return [
        (_("Sex, age"), sex_and_age(details)),
        (_("Address"), details.get("address")),
        (_("Phone"), details.get("phone")),
        (_("NIK"), details.get("nik")),
        (_("KK number"), details.get("kk")),
        (_("Guardian"), guardian_text(details.get("guardian"))),
        (_("PPKS category"), identity.ppks_label(ppks) or None),
    ]


def _facts(rows: list[tuple[str, str | None]]) -> Table:
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column(overflow="fold")
    for label, value in rows:
        facts.add_row(label, Text(value))
    return facts


def identity_card(found: dict) -> RenderableType:
    """`client CASE`: the client's details, then each current member's under their name and role."""
    parts: list[RenderableType] = [
        Text(
            _("Case {id} · {client}: identity and contact").format(id=found["case_id"], client=client_name(found)),
            style="bold",
        )
    ]
    rows = [(label, value) for label, value in identity_rows(found["identity"], found["ppks"]) if value]
    parts.append(
        _facts(rows)
        if rows
        else Text(
            _("Nothing recorded yet: lingkaran client {id} --phone NUMBER --address TEXT").format(id=found["case_id"]),
            style="dim",
        )
    )
    for member in found["members"]:
        heading = member["name"] + (f" ({member['role']})" if member["role"] else "")
        member_rows = [(label, value) for label, value in identity_rows(member) if value]
        parts += [
            Text(""),
            Text(heading, style="bold"),
            Padding(_facts(member_rows), (0, 0, 0, 2)) if member_rows else Text("  –", style="dim"),
        ]
    return Group(*parts)


def changed_line(result: dict) -> Text:
    """The confirmation after `client CASE --FIELD …`: which details changed (their names, not their values)."""
    if not result["changed"]:
        return Text(_("Case {id}: nothing changed.").format(id=result["case_id"]))
    fields = ", ".join(dict.fromkeys(_(identity.FIELD_LABELS[field]) for field in result["changed"]))
    if result["member"]:
        return done(
            _("Case {id}: {name}'s {fields} recorded.").format(
                id=result["case_id"], name=result["member"], fields=fields
            )
        )
    return done(_("Case {id}: the client's {fields} recorded.").format(id=result["case_id"], fields=fields))
