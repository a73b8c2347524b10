"""The helping system's rules: who may be linked, how a referral's status moves, how an ecomap changes. Pure.

Client systems (members of a family, group or community), the intervention system (the team), referrals out to
other agencies, and the ecomap (Hartman, 1978): the client at the centre, the systems of their life around it,
each tie strong, tenuous or stressful, with energy flowing in, out, both ways or not at all.
"""

from lingkaran.cycle import label
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _
from lingkaran.values import choose

TEAM_ROLES = ("social-worker", "psychologist", "doctor", "teacher", "lawyer", "community-leader", "volunteer",
              "other")
ECOMAP_KINDS = ("family", "friends", "school", "work", "health", "religion", "recreation", "social-services",
                "legal", "neighbourhood", "other")
TIES = ("stressful", "tenuous", "strong")  # weakest first: the order `compare` uses for stronger / weaker
FLOWS = ("in", "out", "both", "none")
REFERRAL_STATUSES = ("sent", "accepted", "declined", "completed")
OPEN_REFERRAL_STATUSES = ("sent", "accepted")
AWAITING_ANSWER = ("sent",)  # --due is when the agency's answer is due: accepted or declined, it has come
# status: the statuses it may move to
REFERRAL_MOVES = {"sent": ("accepted", "declined"), "accepted": ("completed",), "declined": (), "completed": ()}
LINK_PARENT_LEVELS = ("mezzo", "makro")
# Display words for stored values (the values stay English in the database and JSON).
TEAM_ROLE_LABELS = {
    "social-worker": N_("social-worker"), "psychologist": N_("psychologist"), "doctor": N_("doctor"),
    "teacher": N_("teacher"), "lawyer": N_("lawyer"), "community-leader": N_("community-leader"),
    "volunteer": N_("volunteer"), "other": N_("other"),
}
ECOMAP_KIND_LABELS = {
    "family": N_("family"), "friends": N_("friends"), "school": N_("school"), "work": N_("work"),
    "health": N_("health"), "religion": N_("religion"), "recreation": N_("recreation"),
    "social-services": N_("social-services"), "legal": N_("legal"), "neighbourhood": N_("neighbourhood"),
    "other": N_("other"),
}
TIE_LABELS = {"strong": N_("strong"), "tenuous": N_("tenuous"), "stressful": N_("stressful")}
FLOW_LABELS = {"in": N_("in"), "out": N_("out"), "both": N_("both"), "none": N_("none")}
REFERRAL_STATUS_LABELS = {"sent": N_("sent"), "accepted": N_("accepted"), "declined": N_("declined"),
                          "completed": N_("completed")}
# Words typed for a value besides the value itself (as in cycle.py): other spellings and the Indonesian words,
# every Indonesian label among them. Documented in docs/language.md and docs/id/panduan.md.
TEAM_ROLE_ALIASES = {
    "socialworker": "social-worker", "worker": "social-worker", "pekerja-sosial": "social-worker",
    "peksos": "social-worker", "pendamping": "social-worker", "psikolog": "psychologist", "dokter": "doctor",
    "guru": "teacher", "pengacara": "lawyer", "advokat": "lawyer", "tokoh-masyarakat": "community-leader",
    "relawan": "volunteer", "sukarelawan": "volunteer", "lainnya": "other",
}
ECOMAP_KIND_ALIASES = {
    "neighborhood": "neighbourhood", "health-care": "health", "keluarga": "family", "teman": "friends",
    "sahabat": "friends", "sekolah": "school", "pekerjaan": "work", "tempat-kerja": "work", "kesehatan": "health",
    "layanan-kesehatan": "health", "agama": "religion", "rekreasi": "recreation", "layanan-sosial": "social-services",
    "hukum": "legal", "lingkungan": "neighbourhood", "tetangga": "neighbourhood", "lainnya": "other",
}
TIE_ALIASES = {"weak": "tenuous", "stressed": "stressful", "kuat": "strong", "renggang": "tenuous",
               "lemah": "tenuous", "penuh-tekanan": "stressful", "tegang": "stressful"}
FLOW_ALIASES = {"masuk": "in", "keluar": "out", "dua-arah": "both", "timbal-balik": "both", "tidak-ada": "none"}
REFERRAL_STATUS_ALIASES = {"dikirim": "sent", "diterima": "accepted", "ditolak": "declined", "selesai": "completed"}
CHANGE_LABELS = {"new": N_("new"), "gone": N_("gone"), "stronger": N_("stronger"), "weaker": N_("weaker"),
                 "changed": N_("changed"), "same": N_("same")}


def normalize_team_role(value: str) -> str:
    """Accept one of the team roles (social worker, psikolog, …)."""
    return choose(value, TEAM_ROLES, TEAM_ROLE_ALIASES, "--role")


def normalize_kind(value: str) -> str:
    """Accept one of the ecomap's kinds of system (neighborhood as neighbourhood, sekolah as school, …)."""
    return choose(value, ECOMAP_KINDS, ECOMAP_KIND_ALIASES, "--kind")


def normalize_tie(value: str) -> str:
    """Accept strong, tenuous or stressful (kuat, renggang, penuh tekanan)."""
    return choose(value, TIES, TIE_ALIASES, "--tie")


def normalize_flow(value: str) -> str:
    """Accept in, out, both or none (masuk, keluar, dua arah, tidak ada)."""
    return choose(value, FLOWS, FLOW_ALIASES, "--flow")


def normalize_referral_status(value: str) -> str:
    """Accept one of the referral statuses (dikirim, diterima, ditolak, selesai)."""
    return choose(value, REFERRAL_STATUSES, REFERRAL_STATUS_ALIASES, "--status")


def referral_move(current: str, new: str) -> str:
    """The status a referral moves to: sent → accepted | declined, accepted → completed; refuse the rest."""
    if new not in REFERRAL_MOVES[current]:
        words = {status: _(REFERRAL_STATUS_LABELS[status]) for status in REFERRAL_STATUSES}
        allowed = ", ".join(words[status] for status in REFERRAL_MOVES[current]) or _("none: it is finished")
        raise StepRefused(_("a referral that is {current} cannot become {new} (next: {allowed})").format(
            current=words[current], new=words[new], allowed=allowed))
    return new


def is_open_referral(status: str) -> bool:
    """Whether a referral is still waiting for an outcome."""
    return status in OPEN_REFERRAL_STATUSES


def is_overdue(referral: dict, today: str | None) -> bool:
    """Whether a referral still waiting for its answer is past the date the answer was due: an accepted one has
    had its answer (the service may take longer; it is open until completed, not overdue)."""
    return bool(today and referral["status"] in AWAITING_ANSWER and referral["due_on"] and referral["due_on"] < today)


def check_referral_consent(consent: bool, force: bool, reason: str | None, *,
                           withdrawn_on: str | None = None) -> str | None:
    """Referring shares the client's data: it needs current consent, or --force with a reason (the override).

    `withdrawn_on`: the date the client withdrew consent, when they did (the refusal says so, not "not recorded").
    """
    if consent:
        return None
    if not force and withdrawn_on:
        raise StepRefused(_("the client withdrew consent on {date}; a referral shares their data. Record their "
                            "consent again, or override with --force --reason TEXT").format(date=withdrawn_on))
    if not force:
        raise StepRefused(_("the client's consent is not recorded; a referral shares their data. Record consent, "
                            "or override with --force --reason TEXT"))
    if not reason:
        raise InvalidInput(_("--force needs --reason TEXT: why the referral goes without consent"))
    return reason


def check_link(child: dict, parent: dict, ancestors_of_parent: set[int]) -> None:
    """A case can be part of a family, group or community case; never of itself or of its own part."""
    if child["id"] == parent["id"]:
        raise InvalidInput(_("a case cannot be part of itself"))
    if parent["level"] not in LINK_PARENT_LEVELS:
        raise InvalidInput(_("case {parent} is {level}; a case can be part of a mezzo or makro case only").format(
            parent=parent["id"], level=parent["level"]))
    if child["id"] in ancestors_of_parent:
        raise InvalidInput(_("case {parent} is already part of case {child}; links cannot go round in a circle")
                           .format(parent=parent["id"], child=child["id"]))


def ecomap_at(changes: list[dict], on: str | None = None) -> dict[str, dict]:
    """The map as it stood on a date: each system's latest change on or before it, removed systems left out.

    `changes` are rows with system, kind, tie, flow, note, changed_on, removed, in the order they were made.
    Systems are matched without regard to case; the map keeps the name as last written.
    """
    latest: dict[str, dict] = {}
    for change in sorted(changes, key=lambda c: c["changed_on"]):  # stable: same-day changes keep their order
        if on is None or change["changed_on"] <= on:
            latest[change["system"].casefold()] = change
    return {change["system"]: _tie(change) for change in latest.values() if not change["removed"]}


def _tie(change: dict) -> dict:
    return {"system": change["system"], "kind": change["kind"], "tie": change["tie"], "flow": change["flow"],
            "note": change["note"], "since": change["changed_on"]}


def first_map_date(changes: list[dict]) -> str | None:
    """The date the ecomap was first drawn (the intake map), or None when it is empty."""
    return min((change["changed_on"] for change in changes), default=None)


def ecomap_diff(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """What changed between two maps, system by system: new, gone, stronger, weaker, changed (flow/kind), same."""
    before_by_key = {name.casefold(): tie for name, tie in before.items()}
    after_by_key = {name.casefold(): tie for name, tie in after.items()}
    rows = []
    for key in sorted(before_by_key.keys() | after_by_key.keys()):
        old, new = before_by_key.get(key), after_by_key.get(key)
        rows.append({"system": (new or old)["system"], "kind": (new or old)["kind"], "change": _change(old, new),
                     "before": tie_summary(old), "after": tie_summary(new)})
    order = list(CHANGE_LABELS)
    return sorted(rows, key=lambda row: (order.index(row["change"]), row["system"].casefold()))


def _change(old: dict | None, new: dict | None) -> str:
    if old is None:
        return "new"
    if new is None:
        return "gone"
    step = TIES.index(new["tie"]) - TIES.index(old["tie"])
    if step:
        return "stronger" if step > 0 else "weaker"
    return "same" if (old["flow"], old["kind"]) == (new["flow"], new["kind"]) else "changed"


def tie_summary(tie: dict | None) -> dict | None:
    """A tie in brief (strength and flow), for comparisons and events."""
    return None if tie is None else {"tie": tie["tie"], "flow": tie["flow"]}


DOT_STYLES = {"strong": 'style="bold", penwidth=3', "tenuous": 'style="dashed"',
              "stressful": 'style="solid", color="red", label="/ / /"'}
DOT_DIRECTIONS = {"in": "back", "out": "forward", "both": "both", "none": "none"}


def ecomap_dot(client: str, on: str, ties: list[dict]) -> str:
    """The ecomap as Graphviz DOT (neato lays it out round the client): `dot -Tpdf` prints it."""
    title = _("Ecomap of {client}, {date}").format(client=client, date=on)  # not inside the f-string: Babel
    lines = ["digraph ecomap {", '  layout="neato"; overlap=false; splines=true;',  # extracts no _() there
             f"  label={_dot_string(title)};",
             f'  client [label={_dot_string(client)}, shape=doublecircle, style="bold"];']
    for number, tie in enumerate(ties, start=1):
        system = "{system}\n({kind})".format(system=tie["system"], kind=label(ECOMAP_KIND_LABELS, tie["kind"]))
        lines.append(f"  s{number} [label={_dot_string(system)}, shape=ellipse];")
        lines.append(f"  client -> s{number} [{DOT_STYLES[tie['tie']]}, dir={DOT_DIRECTIONS[tie['flow']]}, "
                     "len=2.2];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    """A DOT string; control characters made visible, as on every screen (the file is often printed)."""
    from lingkaran.render_plain import printable

    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
