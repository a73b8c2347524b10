"""Dates as people write them, in the interface language."""

from lingkaran.messages import N_, _

MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))


def date_text(iso: str | None) -> str:
    """A date as people write it: 28 Nov 2026 (month names in the interface language)."""
    if not iso:
        return "–"
    year, month, day = iso[:10].split("-")
    return f"{int(day)} {_(MONTHS[int(month) - 1])} {year}"
