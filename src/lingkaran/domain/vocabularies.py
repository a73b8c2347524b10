"""Every set of stored values, each defined once: the value, its word, its prompt title, the words typed for it.

A value is stored and printed in JSON as it is written here (English, and mikro/mezzo/makro for levels), whatever
the interface language. Everything else about it comes from its `Term`: the `label` shown for it in tables and
messages, the longer `title` a guided prompt offers it by, and the `aliases` a worker may type instead (other
spellings, the practice's Indonesian words). Labels and titles are marked with `N_()` here and translated where
they are shown, so the Indonesian words are the catalog's (locale/id/LC_MESSAGES/lingkaran.po); every Indonesian
label can be typed back, so it is among the aliases too (tests/cli/test_vocabularies.py and
tests/cli/test_indonesian_words.py check both).

The flags (`cli/options.choice_option`), the guided prompts (`prompts/steps.py`), the import rules
(`domain/record_rules.py`) and the renderings all read these tables. Pure: no I/O.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from lingkaran.domain.parse import choose
from lingkaran.messages import N_, _


@dataclass(frozen=True)
class Term:
    """One stored value and its words: `label` (shown), `title` (a prompt's choice; the label when empty),
    `aliases` (typed for it)."""

    value: str
    label: str
    title: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocabulary:
    """The values one kind of field may hold, in their order, with the flag that takes them and its help."""

    flag: str
    help: str  # the flag's --help, marked N_(); `{values}` in it lists the values
    terms: tuple[Term, ...]

    @cached_property
    def values(self) -> tuple[str, ...]:
        """The stored values, in order."""
        return tuple(term.value for term in self.terms)

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Each word typed for a value (besides the value itself) and the value it stands for."""
        return {alias: term.value for term in self.terms for alias in term.aliases}

    @cached_property
    def _by_value(self) -> dict[str, Term]:
        return {term.value: term for term in self.terms}

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms)

    def term(self, value: str) -> Term:
        """The term of a stored value."""
        return self._by_value[value]

    def parse(self, typed: str) -> str:
        """The stored value for what was typed (the value, or one of its words); refused with the values named."""
        return choose(typed, self.values, self.aliases, self.flag)

    def label(self, value: str | None) -> str:
        """A stored value's word in the interface language (the value itself when it is not one of these)."""
        if value is None:
            return ""
        return _(self.term(value).label) if value in self else value

    def title(self, value: str) -> str:
        """The words a guided prompt offers a value by, in the interface language."""
        term = self.term(value)
        return _(term.title or term.label)

    def help_text(self) -> str:
        """The flag's --help in the interface language."""
        return _(self.help).format(values=", ".join(self.values))


PHASE = Vocabulary(
    "--phase",
    N_("Only cases at this step."),
    (
        Term("engagement", N_("Engagement")),
        Term("assessment", N_("Assessment"), aliases=("asesmen",)),
        Term("planning", N_("Planning"), aliases=("rencana", "perencanaan")),
        Term("intervention", N_("Intervention"), aliases=("intervensi",)),
        Term("monitoring", N_("Monitoring"), aliases=("pemantauan",)),
        Term("evaluation", N_("Evaluation"), aliases=("evaluasi",)),
        Term("termination", N_("Termination"), aliases=("terminasi",)),
    ),
)

LEVEL = Vocabulary(
    "--level",
    N_("mikro (individual), mezzo (family/group), makro (community)."),
    (
        Term("mikro", N_("mikro: an individual"), aliases=("micro",)),
        Term("mezzo", N_("mezzo: a family or group"), aliases=("meso", "messo")),
        Term("makro", N_("makro: a community"), aliases=("macro",)),
    ),
)

ACTIVITY = Vocabulary(
    "--activity",
    N_(
        "home-visit, counselling, phone-call, group-session, referral, advocacy, case-conference, other, intake "
        "or assessment-session."
    ),
    (
        Term("home-visit", N_("home-visit"), N_("home visit"), ("kunjungan-rumah", "kunjungan")),
        Term("counselling", N_("counselling"), aliases=("counseling", "konseling")),
        Term("phone-call", N_("phone-call"), N_("phone call"), ("telepon",)),
        Term("group-session", N_("group-session"), N_("group session"), ("sesi-kelompok",)),
        Term("referral", N_("referral"), N_("referral to another service"), ("rujukan",)),
        Term("advocacy", N_("advocacy"), aliases=("advokasi",)),
        Term("case-conference", N_("case-conference"), N_("case conference"), ("konferensi-kasus",)),
        Term("other", N_("other"), aliases=("lainnya",)),
        Term("intake", N_("intake"), N_("intake visit"), ("pendekatan-awal", "penerimaan")),
        Term(
            "assessment-session",
            N_("assessment-session"),
            N_("assessment session"),
            ("sesi-asesmen", "asesmen-psikologis", "wawancara-asesmen"),
        ),
    ),
)

RISK = Vocabulary(
    "--risk",
    N_("Risk level: low, medium or high."),
    (
        Term("low", N_("low"), aliases=("rendah",)),
        Term("medium", N_("medium"), aliases=("sedang",)),
        Term("high", N_("high"), aliases=("tinggi",)),
    ),
)

# An evaluation's decision: where the cycle goes next (cycle.GATES["evaluate"] moves the case by it).
DECISION = Vocabulary(
    "--decision",
    N_("Where the cycle goes next: terminate, continue, replan or reassess."),
    (
        Term("terminate", N_("terminate"), N_("terminate: the work is done; close the case next"), ("terminasi",)),
        Term(
            "continue",
            N_("continue"),
            N_("continue: more intervention on the same plan"),
            ("lanjut", "lanjutkan", "lanjutkan-intervensi"),
        ),
        Term("replan", N_("replan"), N_("replan: revise the goals"), ("rencana-ulang", "susun-ulang-rencana")),
        Term("reassess", N_("reassess"), N_("reassess: assess the situation again"), ("asesmen-ulang",)),
    ),
)

# The termination reasons of practice (alasan terminasi), in the order practice lists them, then `other`.
REASON = Vocabulary(
    "--reason",
    N_("goals-met, service-ended, referred, transferred, withdrew, moved, died or other."),
    (
        Term("goals-met", N_("goals-met"), N_("goals met"), ("tujuan-tercapai", "tercapai")),
        Term(
            "service-ended",
            N_("service-ended"),
            N_("the service period ended"),
            ("masa-layanan-berakhir", "layanan-berakhir", "masa-layanan-habis"),
        ),
        Term("referred", N_("referred"), N_("referred to another service"), ("dirujuk",)),
        Term(
            "transferred",
            N_("transferred"),
            N_("transferred to another social worker"),
            ("dialihkan", "dialihkan-ke-pekerja-sosial-lain"),
        ),
        Term(
            "withdrew",
            N_("withdrew"),
            N_("the client withdrew"),
            ("mengundurkan-diri", "klien-mengundurkan-diri", "putus-layanan"),
        ),
        Term("moved", N_("moved"), N_("the client moved away"), ("pindah", "pindah-domisili")),
        Term("died", N_("died"), N_("the client died"), ("meninggal", "meninggal-dunia")),
        Term("other", N_("other"), aliases=("lainnya",)),
    ),
)

# A case's and a goal's status are set by the steps, never typed: no flag takes them.
CASE_STATUS = Vocabulary(flag="", help="", terms=(Term("active", N_("active")), Term("closed", N_("closed"))))
GOAL_STATUS = Vocabulary(
    flag="", help="", terms=(Term("open", N_("open")), Term("closed", N_("closed")), Term("dropped", N_("dropped")))
)

TEAM_ROLE = Vocabulary(
    "--role",
    N_("One of: {values}."),
    (
        Term(
            "social-worker",
            N_("social-worker"),
            aliases=("socialworker", "worker", "pekerja-sosial", "peksos", "pendamping"),
        ),
        Term("psychologist", N_("psychologist"), aliases=("psikolog",)),
        Term("doctor", N_("doctor"), aliases=("dokter",)),
        Term("teacher", N_("teacher"), aliases=("guru",)),
        Term("lawyer", N_("lawyer"), aliases=("pengacara", "advokat")),
        Term("community-leader", N_("community-leader"), aliases=("tokoh-masyarakat",)),
        Term("volunteer", N_("volunteer"), aliases=("relawan", "sukarelawan")),
        Term("other", N_("other"), aliases=("lainnya",)),
    ),
)

# The ecomap (Hartman, 1978): the kinds of system around the client, each tie's strength and the way energy flows.
ECOMAP_KIND = Vocabulary(
    "--kind",
    N_("One of: {values} (redrawing keeps the kind)."),
    (
        Term("family", N_("family"), aliases=("keluarga",)),
        Term("friends", N_("friends"), aliases=("teman", "sahabat")),
        Term("school", N_("school"), aliases=("sekolah",)),
        Term("work", N_("work"), aliases=("pekerjaan", "tempat-kerja")),
        Term("health", N_("health"), aliases=("health-care", "kesehatan", "layanan-kesehatan")),
        Term("religion", N_("religion"), aliases=("agama",)),
        Term("recreation", N_("recreation"), aliases=("rekreasi",)),
        Term("social-services", N_("social-services"), aliases=("layanan-sosial",)),
        Term("legal", N_("legal"), aliases=("hukum",)),
        Term("neighbourhood", N_("neighbourhood"), aliases=("neighborhood", "lingkungan", "tetangga")),
        Term("other", N_("other"), aliases=("lainnya",)),
    ),
)

# Ties weakest first: `ecomap --compare` calls a move up this order stronger.
TIE = Vocabulary(
    "--tie",
    N_("strong, tenuous or stressful."),
    (
        Term("stressful", N_("stressful"), aliases=("stressed", "penuh-tekanan", "tegang")),
        Term("tenuous", N_("tenuous"), aliases=("weak", "renggang", "lemah")),
        Term("strong", N_("strong"), aliases=("kuat",)),
    ),
)

FLOW = Vocabulary(
    "--flow",
    N_("Energy and resources flow in (to the client), out, both or none (default: none, or as before)."),
    (
        Term("in", N_("in"), aliases=("masuk",)),
        Term("out", N_("out"), aliases=("keluar",)),
        Term("both", N_("both"), aliases=("dua-arah", "timbal-balik")),
        Term("none", N_("none"), aliases=("tidak-ada",)),
    ),
)

# A referral is sent, then accepted or declined, and an accepted one completed (helping_system.REFERRAL_MOVES);
# `referral update --status` records the outcomes, so its help leaves `sent` out.
REFERRAL_STATUS = Vocabulary(
    "--status",
    N_("accepted, declined or completed."),
    (
        Term("sent", N_("sent"), aliases=("dikirim",)),
        Term("accepted", N_("accepted"), aliases=("diterima",)),
        Term("declined", N_("declined"), aliases=("ditolak",)),
        Term("completed", N_("completed"), aliases=("selesai",)),
    ),
)

# How a system's tie changed between two ecomaps (`ecomap --compare`), in the order the comparison lists them.
ECOMAP_CHANGE = Vocabulary(
    flag="",
    help="",
    terms=(
        Term("new", N_("new")),
        Term("gone", N_("gone")),
        Term("stronger", N_("stronger")),
        Term("weaker", N_("weaker")),
        Term("changed", N_("changed")),
        Term("same", N_("same")),
    ),
)

# Every vocabulary by the name its tests and docs use.
ALL = {
    "phase": PHASE,
    "level": LEVEL,
    "activity": ACTIVITY,
    "risk": RISK,
    "decision": DECISION,
    "reason": REASON,
    "case status": CASE_STATUS,
    "goal status": GOAL_STATUS,
    "team role": TEAM_ROLE,
    "ecomap kind": ECOMAP_KIND,
    "tie": TIE,
    "flow": FLOW,
    "referral status": REFERRAL_STATUS,
    "ecomap change": ECOMAP_CHANGE,
}


def label_of(labels: dict[str, str], value: str | None) -> str:
    """A stored value's word from a plain label table (a value with no label is shown as it is)."""
    if value is None:
        return ""
    return _(labels[value]) if value in labels else value
