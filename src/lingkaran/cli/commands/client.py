"""`client`: who the client (or a member) is and how to reach them; the identity flags `open` and `member add`
share are declared here once."""

import datetime as dt
from typing import Annotated

import typer

from lingkaran.cli.guide import case_or_chosen
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.session import print_json, session, show
from lingkaran.messages import _

SexOption = Annotated[str | None, typer.Option(help=_("female or male (perempuan, laki-laki)."), show_default=False)]
BornOption = Annotated[str | None, typer.Option(help=_("Date of birth YYYY-MM-DD, or the year only."),
                                                show_default=False)]
AddressOption = Annotated[str | None, typer.Option(help=_("Where they live."), show_default=False)]
PhoneOption = Annotated[str | None, typer.Option(help=_("Phone number (digits; + for a country code)."),
                                                 show_default=False)]
NikOption = Annotated[str | None, typer.Option("--nik", help=_("NIK: the 16-digit number on the KTP."),
                                               show_default=False)]
KkOption = Annotated[str | None, typer.Option("--kk", help=_("The 16-digit family card (KK) number."),
                                              show_default=False)]
GuardianOption = Annotated[str | None, typer.Option(
    help=_("A child's parent or guardian (gives the child's consent)."), show_default=False)]
GuardianRelationOption = Annotated[str | None, typer.Option(help=_("How the guardian relates to the client."),
                                                            show_default=False)]
GuardianPhoneOption = Annotated[str | None, typer.Option(help=_("The guardian's phone number."), show_default=False)]
# The identity flags' parameters, in the order a form asks them (born sets born and born_on).
IDENTITY_PARAMETERS = ("sex", "born", "address", "phone", "nik", "kk", "guardian", "guardian_relation",
                       "guardian_phone", "ppks")
PpksOption = Annotated[str | None, typer.Option(
    "--ppks", help=_("The PPKS category (Kemensos): its code, number or name, e.g. ABH, 4, anak-jalanan."),
    show_default=False)]


def identity_changes(today: dt.date, params: dict, *, clearing: bool = False) -> dict:
    """The identity fields given as flags (of a command's `ctx.params`), checked; "" clears a field when
    `clearing` (`client`), else it is left out as not given (`open`, `member add`)."""
    from lingkaran.domain import identity
    from lingkaran.domain import parse as values

    typed = {field: params[field] for field in IDENTITY_PARAMETERS if field in params}

    parsers = {
        "sex": identity.normalize_sex, "ppks": identity.normalize_ppks,
        "nik": lambda text: identity.parse_id_number(text, "--nik"),
        "kk": lambda text: identity.parse_id_number(text, "--kk"),
        "phone": lambda text: identity.parse_phone(text, "--phone"),
        "guardian_phone": lambda text: identity.parse_phone(text, "--guardian-phone"),
    }
    changes: dict = {}
    for field, text in typed.items():
        if text is None or (not text.strip() and not clearing):
            continue
        if not text.strip():
            changes.update({"born": None, "born_on": None} if field == "born" else {field: None})
        elif field == "born":
            changes.update(identity.parse_born(text, today))
        elif field in parsers:
            changes[field] = parsers[field](text)
        else:
            changes[field] = values.clean_text(text, identity.FLAGS[field])
    return changes


def client(
    ctx: typer.Context,
    case: CaseArgument = None,
    member: Annotated[str | None, typer.Option(
        help=_("A member of the client system instead of the client (see `lingkaran member list CASE`)."),
        show_default=False)] = None,
    sex: SexOption = None,
    born: BornOption = None,
    address: AddressOption = None,
    phone: PhoneOption = None,
    nik: NikOption = None,
    kk: KkOption = None,
    guardian: GuardianOption = None,
    guardian_relation: GuardianRelationOption = None,
    guardian_phone: GuardianPhoneOption = None,
    ppks: PpksOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Who the client is and how to reach them: show it, or change it with flags ("" clears a field)."""
    run = session(ctx)
    case = case_or_chosen(run, case, "client")
    today = run.today()
    changes = identity_changes(today, ctx.params, clearing=True)
    if not changes:
        _show_identity(run, case, today, json_output)
        return
    from lingkaran.casework import identity_work
    from lingkaran.domain import parse as values

    result = identity_work.set_identity(run.conn(), case, member=member, changes=changes,
                                        on=values.parse_step_date(date, today))
    if json_output:
        print_json(result)
        return
    from lingkaran.render.identity import changed_line

    show(changed_line(result))


def _show_identity(run, case: str, today: dt.date, json_output: bool) -> None:
    """The client's and the members' identity and contact details."""
    from lingkaran.readmodels import case_view as views

    found = views.identity_detail(run.conn(), case, today)
    if json_output:
        print_json(found)
        return
    from lingkaran.render.identity import identity_card

    show(identity_card(found))


def register(app: typer.Typer) -> None:
    """Add client to the app."""
    app.command("client")(client)
