"""Conflicts in words for a person: each with its sides numbered and how to settle it (plain lines)."""

from lingkaran.messages import N_, _, ngettext

SHOWN_WIDTH = 60


def conflict_lines(items: list[dict]) -> list[str]:
    """`lingkaran conflicts` for a person; an empty list says there is nothing to settle."""
    from lingkaran.render.rich_views import event_label

    if not items:
        return [_("No conflicts: every copy's values agree.")]
    lines: list[str] = []
    for item in items:
        lines += [
            "",
            _("Case {case} · {client}  [{code}]").format(
                case=item["case_id"], client=item["client"] or "–", code=item["code"]
            ),
            "  " + item["what"],
        ]
        if item["kind"] == "review":
            lines += [
                f"  {record['number']}  "
                + _("{kind} of {date}").format(
                    kind=event_label({"kind": record["event_kind"], "data": {}}), date=record["occurred_on"]
                )
                + " · "
                + _device(record)
                for record in item["sides"]
            ]
            lines.append(
                "  " + _("applied as they came; look at them, then: lingkaran resolve {code}").format(code=item["code"])
            )
            continue
        lines += [line for side in item["sides"] for line in _side_lines(side, side["number"] == item["provisional"])]
        lines.append("  " + _("settle it: lingkaran resolve {code} --keep N").format(code=item["code"]))
    return lines[1:]


def _side_lines(side: dict, provisional: bool) -> list[str]:
    text = side["shown"] if len(side["shown"]) <= SHOWN_WIDTH else side["shown"][: SHOWN_WIDTH - 1] + "…"
    origin = " · ".join(part for part in (side["author"], side["occurred_on"], _device(side)) if part)
    mark = "  " + _("(shown for now)") if provisional else ""
    return [f"  {side['number']}  {text}{mark}", f"     {origin}"]


def _device(written: dict) -> str:
    return _("device {device}").format(device=(written["device"] or "?")[:8])


def merge_lines(renumbered: list[dict], conflicts: list[str]) -> list[str]:
    """What an import's merge changed that people must hear: goals with another number, conflicts to settle."""
    said = {
        "goal": N_("Case {case}: goal {was} '{text}' is now goal {now}."),
        "referral": N_("Case {case}: referral {was} ({text}) is now referral {now}."),
    }
    lines = [
        _(said[item["kind"]]).format(case=item["case_id"], was=item["was"], text=item["text"], now=item["now"])
        for item in renumbered
    ]
    if conflicts:
        lines.append(
            ngettext(
                "{count} new conflict to settle: lingkaran conflicts",
                "{count} new conflicts to settle: lingkaran conflicts",
                len(conflicts),
            ).format(count=len(conflicts))
        )
    return lines
