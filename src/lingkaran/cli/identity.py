"""The identity flags `open`, `member add` and `client` share (who a person is and how to reach them), declared
once, and their values checked."""

import datetime as dt
from typing import Annotated

import typer

from lingkaran.domain import identity
from lingkaran.domain import parse as values
from lingkaran.messages import _

SexOption = Annotated[str | None, typer.Option(help=_("female or male (perempuan, laki-laki)."), show_default=False)]
BornOption = Annotated[
    str | None, typer.Option(help=_("Date of birth YYYY-MM-DD, or the year only."), show_default=False)
]
AddressOption = Annotated[str | None, typer.Option(help=_("Where they live."), show_default=False)]
PhoneOption = Annotated[
    str | None, typer.Option(help=_("Phone number (digits; + for a country code)."), show_default=False)
]
NikOption = Annotated[
    str | None, typer.Option("--nik", help=_("NIK: the 16-digit number on the KTP."), show_default=False)
]
KkOption = Annotated[
    str | None, typer.Option("--kk", help=_("The 16-digit family card (KK) number."), show_default=False)
]
GuardianOption = Annotated[
    str | None, typer.Option(help=_("A child's parent or guardian (gives the child's consent)."), show_default=False)
]
GuardianRelationOption = Annotated[
    str | None, typer.Option(help=_("How the guardian relates to the client."), show_default=False)
]
GuardianPhoneOption = Annotated[str | None, typer.Option(help=_("The guardian's phone number."), show_default=False)]
# The identity flags' parameters, in the order a form asks them (born sets born and born_on).
IDENTITY_PARAMETERS = (
    "sex",
    "born",
    "address",
    "phone",
    "nik",
    "kk",
    "guardian",
    "guardian_relation",
    "guardian_phone",
    "ppks",
)
PpksOption = Annotated[
    str | None,
    typer.Option(
        "--ppks",
        help=_("The PPKS category (Kemensos): its code, number or name, e.g. ABH, 4, anak-jalanan."),
        show_default=False,
    ),
]


def identity_changes(today: dt.date, params: dict, *, clearing: bool = False) -> dict:
    """The identity fields given as flags (of a command's `ctx.params`), checked; "" clears a field when
    `clearing` (`client`), else it is left out as not given (`open`, `member add`)."""
    typed = {field: params[field] for field in IDENTITY_PARAMETERS if field in params}

    parsers = {
        "sex": identity.normalize_sex,
        "ppks": identity.normalize_ppks,
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
