"""Who the client is and how to reach them: sex, birth, address, phone, NIK/KK, a guardian, the PPKS category.

Pure: the fields, their checks and the age they give. Every field but the PPKS category is personal data
(privacy.PERSONAL_COLUMNS lists them): shown on `show` and `client`, never on `list`, erased by `forget`, left out
of anonymised exports. The PPKS category is a code for reporting, like the level; its words are in the catalog.
"""

import datetime as dt
import re

from lingkaran.domain.parse import choose, parse_date
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _

# The person's own details: a client's or a client-system member's (columns of `cases` and of `members`).
PERSON_FIELDS = ("sex", "born", "born_on", "address", "phone", "nik", "kk")
# A client's guardian (a child's parent, say) and the case's PPKS category: columns of `cases` only.
CASE_ONLY_FIELDS = ("guardian", "guardian_relation", "guardian_phone", "ppks")
CASE_FIELDS = (*PERSON_FIELDS, *CASE_ONLY_FIELDS)
# The flag that sets each field (born and born_on are both set by --born), for messages.
FLAGS = {
    "sex": "--sex",
    "born": "--born",
    "born_on": "--born",
    "address": "--address",
    "phone": "--phone",
    "nik": "--nik",
    "kk": "--kk",
    "guardian": "--guardian",
    "guardian_relation": "--guardian-relation",
    "guardian_phone": "--guardian-phone",
    "ppks": "--ppks",
}
FIELD_LABELS = {
    "sex": N_("sex"),
    "born": N_("date of birth"),
    "born_on": N_("date of birth"),
    "address": N_("address"),
    "phone": N_("phone"),
    "nik": N_("NIK"),
    "kk": N_("KK number"),
    "guardian": N_("guardian"),
    "guardian_relation": N_("guardian's relation"),
    "guardian_phone": N_("guardian's phone"),
    "ppks": N_("PPKS category"),
}

SEXES = ("female", "male")  # as the KTP records it
SEX_LABELS = {"female": N_("female"), "male": N_("male")}
SEX_ALIASES = {
    "f": "female",
    "p": "female",
    "perempuan": "female",
    "wanita": "female",
    "m": "male",
    "l": "male",
    "laki-laki": "male",
    "lelaki": "male",
    "pria": "male",
}
ADULT_AGE = 18  # UU 35/2014: a child is anyone under 18; a child's consent is given by a parent or guardian
FIRST_YEAR = 1880
ID_DIGITS = 16  # both the NIK (on the KTP) and the KK number (the family card) have 16 digits
PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
PHONE_DIGITS = (6, 15)  # a local landline has 6 or more; E.164 allows at most 15

# The 26 welfare-service groups (Pemerlu Pelayanan Kesejahteraan Sosial) of Permensos 8/2012, kept by
# Permensos 5/2019, in the regulation's order. The code is the abbreviation agencies commonly use.
PPKS = {
    "abt": N_("neglected child under five"),
    "at": N_("neglected child"),
    "abh": N_("child in conflict with the law"),
    "aj": N_("street child"),
    "adk": N_("child with a disability"),
    "aktk": N_("child victim of violence or mistreatment"),
    "ampk": N_("child in need of special protection"),
    "lut": N_("neglected older person"),
    "pd": N_("person with a disability"),
    "ts": N_("person in prostitution"),
    "gel": N_("homeless person"),
    "pengemis": N_("beggar"),
    "pemulung": N_("waste picker"),
    "km": N_("minority group"),
    "bwblp": N_("former prison inmate"),
    "odha": N_("person living with HIV/AIDS"),
    "kpn": N_("victim of drug abuse (NAPZA)"),
    "kpo": N_("victim of human trafficking"),
    "ktk": N_("victim of violence"),
    "pmbs": N_("migrant worker with social problems"),
    "kba": N_("victim of a natural disaster"),
    "kbs": N_("victim of a social disaster"),
    "prse": N_("socially and economically vulnerable woman"),
    "fm": N_("poor person (fakir miskin)"),
    "kbsp": N_("family with social-psychological problems"),
    "kat": N_("remote indigenous community"),
}
# The regulation's own names, typed with hyphens, and each group's number in its list, as aliases of the code.
PPKS_NAMES = (
    "anak-balita-terlantar",
    "anak-terlantar",
    "anak-yang-berhadapan-dengan-hukum",
    "anak-jalanan",
    "anak-dengan-kedisabilitasan",
    "anak-korban-tindak-kekerasan",
    "anak-yang-memerlukan-perlindungan-khusus",
    "lanjut-usia-terlantar",
    "penyandang-disabilitas",
    "tuna-susila",
    "gelandangan",
    "pengemis",
    "pemulung",
    "kelompok-minoritas",
    "bekas-warga-binaan-lembaga-pemasyarakatan",
    "orang-dengan-hiv/aids",
    "korban-penyalahgunaan-napza",
    "korban-perdagangan-orang",
    "korban-tindak-kekerasan",
    "pekerja-migran-bermasalah-sosial",
    "korban-bencana-alam",
    "korban-bencana-sosial",
    "perempuan-rawan-sosial-ekonomi",
    "fakir-miskin",
    "keluarga-bermasalah-sosial-psikologis",
    "komunitas-adat-terpencil",
)
PPKS_ALIASES = {
    **dict(zip(PPKS_NAMES, PPKS, strict=False)),
    **{str(number): code for number, code in enumerate(PPKS, start=1)},
    "trafficking": "kpo",
}


def normalize_sex(value: str) -> str:
    """Accept female or male (perempuan, laki-laki, P, L)."""
    return choose(value, SEXES, SEX_ALIASES, "--sex")


def normalize_ppks(value: str) -> str:
    """Accept a PPKS code (ABH), its number in the regulation's list (3) or its name (anak-jalanan)."""
    return choose(value, tuple(PPKS), PPKS_ALIASES, "--ppks")


def ppks_label(code: str | None) -> str:
    """A PPKS category as people read it: its code and its words in the interface language."""
    if not code:
        return ""
    return f"{code.upper()} · {_(PPKS[code])}" if code in PPKS else code


def parse_id_number(text: str, flag: str) -> str:
    """A NIK or KK number: 16 digits (spaces and dots between them are left out). The value is never repeated in
    the message: it is the most sensitive number a person has."""
    digits = re.sub(r"[ .]", "", text.strip())
    if not digits.isascii() or not digits.isdigit() or len(digits) != ID_DIGITS:
        raise InvalidInput(
            _("{flag} must be {count} digits (it has {found} characters)").format(
                flag=flag, count=ID_DIGITS, found=len(digits)
            )
        )
    return digits


def parse_phone(text: str, flag: str) -> str:
    """A phone number as written (0812-3456-7890, +62 812 3456 7890): digits, a leading +, spaces and dashes."""
    phone = " ".join(text.split())
    count = len(phone_digits(phone))
    if not PHONE.fullmatch(phone) or not PHONE_DIGITS[0] <= count <= PHONE_DIGITS[1]:
        raise InvalidInput(
            _(
                "{flag} {value!r} is not a phone number; use digits, with + in front for a country "
                "code and spaces or dashes between (e.g. 0812-3456-7890)"
            ).format(flag=flag, value=text)
        )
    return phone


def phone_digits(phone: str) -> str:
    """A phone number's digits only."""
    return re.sub(r"[^0-9]", "", phone)


def phone_key(phone: str | None) -> str:
    """The digits that identify a phone number whichever way it was written: Indonesia's +62 as the leading 0
    (no number: no digits; SQLite may ask before it leaves out the rows without one)."""
    if not isinstance(phone, str):
        return ""
    digits = phone_digits(phone)
    return "0" + digits[2:] if digits.startswith("62") else digits


def looks_like_phone(text: str) -> bool:
    """Whether a search query is a phone number (or the start of one) rather than words."""
    return bool(PHONE.fullmatch(" ".join(text.split()))) and len(phone_digits(text)) >= 4


def parse_born(text: str, today: dt.date) -> dict:
    """--born: a date YYYY-MM-DD (from the KTP) or only a year; neither in the future."""
    text = text.strip()
    if re.fullmatch(r"[0-9]{4}", text):
        year = int(text)
        if not FIRST_YEAR <= year <= today.year:
            raise InvalidInput(
                _("--born {year} is not a year between {first} and {now}").format(
                    year=year, first=FIRST_YEAR, now=today.year
                )
            )
        return {"born": year, "born_on": None}
    born_on = parse_date(text, today, "--born")
    if born_on > today:
        raise InvalidInput(_("--born {date} is in the future").format(date=born_on.isoformat()))
    return {"born": born_on.year, "born_on": born_on.isoformat()}


def age(person: dict, on: dt.date) -> int | None:
    """A person's age in whole years on a date: exact from the date of birth, else from the year (None when
    neither is known)."""
    if person.get("born_on"):
        born = dt.date.fromisoformat(person["born_on"])
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return on.year - person["born"] if person.get("born") else None


def may_be_a_child(person: dict, on: dt.date) -> bool:
    """Whether the person is (or, known by the year only, may still be) under 18 on a date."""
    years = age(person, on)
    if years is None:
        return False
    return years < ADULT_AGE or (not person.get("born_on") and years == ADULT_AGE)


def consent_given_by(case: dict, on: dt.date) -> str | None:
    """Who gives a client's consent on a date: None for the client, the guardian's name for a child.

    A child's data needs a parent's or guardian's consent (UU PDP art. 25): without a guardian recorded, it is
    refused with the command that records one.
    """
    if not may_be_a_child(case, on):
        return None
    if not case.get("guardian") and not case.get("id"):
        raise StepRefused(
            _(
                "the client is under {adult}: a child's consent is given by a parent or guardian; "
                "name them with --guardian NAME"
            ).format(adult=ADULT_AGE)
        )
    if not case.get("guardian"):
        raise StepRefused(
            _(
                "the client is under {adult}: a child's consent is given by a parent or guardian; "
                "name one first: lingkaran client {case} --guardian NAME"
            ).format(adult=ADULT_AGE, case=case["id"])
        )
    return case["guardian"]


def person_details(person: dict, on: dt.date | None) -> dict:
    """A person's identity and contact fields as scripts see them, with the age on a date (None without one)."""
    return {**{field: person.get(field) for field in PERSON_FIELDS}, "age": age(person, on) if on else None}


def client_details(case: dict, on: dt.date | None) -> dict:
    """The client's identity and contact fields, the age on a date, and the guardian (None when none is recorded)."""
    guardian = (
        {"name": case.get("guardian"), "relation": case.get("guardian_relation"), "phone": case.get("guardian_phone")}
        if case.get("guardian")
        else None
    )
    return {**person_details(case, on), "guardian": guardian}
