"""The period's ranking: the table (a selector), who sees it, its publication.

The table ranks each member on its *agreed* values (domain.md §3.1): the
final values once the sheet is final; for a period that is not reviewed
(mid-year, self only) the self values of a submitted sheet. Totals come
from the pure :mod:`covenants.scoring` (through :mod:`.totals`, with the
late penalty and the evidence rule) and the order from the pure
:mod:`covenants.ranking` with the year's tie-break order (rule 14).

Before publication only the secretariat, the board and site admins see the
table (a member sees its own sheet, not the others'); publishing shows it
to every member of the bloc and unlocks the bloc averages on each member's
results page. Publishing is one service, in :mod:`.publication`.

Tables are built in bulk (:func:`ranking_tables`) in a fixed number of
queries, whatever the number of members, lines or years, so the results
page can rank every year of an agency's history at once.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from blocs.models import BlocYear, Membership
from members.collation import sort_key
from members.models import Agency
from members.permissions import is_board_for

from ..models import (
    Period,
    RankingPublication,
    ScoreSheet,
    ScoringSettings,
)
from ..ranking import TIE_BREAKS, MemberScore, group_averages, rank_members
from ..scoring import SheetScore, round_points
from ..sheet_rules import GroupKind
from . import permissions
from .ranking_reads import agreed_inputs, template_drafts
from .totals import column_score

__all__ = [
    "GroupColumn",
    "RankingRow",
    "RankingTable",
    "agency_years",
    "agreed_column",
    "can_view_ranking",
    "ranking_table",
    "ranking_tables",
    "ranking_tables_for",
    "tie_break_label",
    "year_end_history",
]


@dataclass(frozen=True)
class GroupColumn:
    code: str
    title: str


@dataclass(frozen=True)
class RankingRow:
    rank: int
    agency: Agency
    sheet: ScoreSheet
    score: SheetScore
    #: Points per column of the table (None: the sheet has no such group).
    groups: tuple[Decimal | None, ...]
    #: The tie-break (a code of :data:`covenants.ranking.TIE_BREAKS`) that
    #: separated this row from an equal total, None when the total did, and
    #: its label in the active language.
    decided_by: str | None
    decided_by_label: str
    #: Equal after every tie-break: the conference re-votes (rule 14(d)).
    tie_unresolved: bool

    @property
    def total(self) -> Decimal:
        return self.score.total


@dataclass
class RankingTable:
    bloc_year: BlocYear
    period: str
    #: False: the period's agreed values are the members' own (mid-year, self only).
    reviewed: bool
    #: The regular groups of the sheet, in sheet order; the first is group I
    #: of the tie-break.
    columns: tuple[GroupColumn, ...]
    rows: list[RankingRow]
    #: Average per column, then of bonus, deductions and total (None without rows).
    averages: tuple[Decimal | None, ...]
    average_bonus: Decimal | None
    average_deductions: Decimal | None
    average_total: Decimal | None
    #: What keeps the ranking from being complete, naming each agency.
    missing: list[str]
    publication: RankingPublication | None
    #: The most a sheet can score (base total + bonus cap), for chart axes.
    top_score: Decimal = Decimal(100)
    tie_breaks: list[str] = field(default_factory=list)
    #: Every sheet of the period, agreed or not.
    sheets: list[ScoreSheet] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def published(self) -> bool:
        return self.publication is not None

    @property
    def has_unresolved_tie(self) -> bool:
        return any(row.tie_unresolved for row in self.rows)

    @property
    def first_group(self) -> str:
        """The group the "first_group" tie-break compares."""
        return self.columns[0].code if self.columns else "I"

    @property
    def period_label(self) -> str:
        return Period(self.period).label

    def row_for(self, agency_id: int) -> RankingRow | None:
        return next((row for row in self.rows if row.agency.pk == agency_id), None)

    def sheet_for(self, agency_id: int) -> ScoreSheet | None:
        return next((sheet for sheet in self.sheets if sheet.agency_id == agency_id), None)


def tie_break_label(code: str | None, *, first_group: str = "I") -> str:
    """A tie-break in words ("" for None)."""
    if code == "first_group":
        return _("higher score in group %(group)s") % {"group": first_group}
    if code == "fewer_deductions":
        return _("fewer deduction points")
    if code == "female_majority":
        return _("a collective with at least 70 percent women")
    return ""


def agreed_column(sheet: ScoreSheet, settings: ScoringSettings) -> str | None:
    """The column holding ``sheet``'s agreed values, or None while it has none."""
    if sheet.is_final:
        return "final"
    if not settings.is_reviewed(sheet.period) and sheet.self_submitted:
        return "self"
    return None


def _missing(membership: Membership, sheet: ScoreSheet | None, reviewed: bool) -> str | None:
    # The same words as the stage guards (covenants.guards), so one translation serves both.
    name = membership.agency.name
    if sheet is None:
        return _("%(agency)s has no sheet for this period.") % {"agency": name}
    if sheet.is_draft:
        return _("%(agency)s has not submitted its self-scores.") % {"agency": name}
    if reviewed and not sheet.review_submitted:
        return _("The review of %(agency)s's sheet is not submitted.") % {"agency": name}
    if reviewed and not sheet.is_final:
        return _("%(agency)s's sheet is not final yet.") % {"agency": name}
    return None


def _current_memberships(bloc_years, *, prefetched: bool) -> dict[int, list[Membership]]:
    """Each year's current members in membership order, with their agencies; read from
    the years' prefetched ``memberships`` when the caller says they hold them all."""
    result = defaultdict(list)
    if prefetched:
        for by in bloc_years:
            members = [m for m in by.memberships.all() if m.left_on is None]
            result[by.pk] = sorted(members, key=lambda m: m.pk)
        return result
    current = Membership.objects.filter(bloc_year__in=bloc_years, left_on__isnull=True)
    for membership in current.select_related("agency").order_by("pk"):
        result[membership.bloc_year_id].append(membership)
    return result


def ranking_tables_for(pairs, *, members_prefetched: bool = False) -> dict:
    """The tables of ``pairs`` of (bloc-year, period), by (bloc-year id, period), in
    five queries however many years, periods, members and lines, six without
    ``members_prefetched`` (a results page ranks both periods of its year and every year
    of the member's history at once): the settings, the sheets with their agencies and
    templates, the groups with their criteria (:mod:`.ranking_reads`), the agreed lines,
    the publications.
    ``members_prefetched``: every bloc-year comes with *all* its memberships and their
    agencies prefetched (a page's, ``blocs.selectors.bloc_year_detail``): they are not
    read again. Never for a prefetch narrowed to the officers."""
    pairs = list({(by.pk, Period(period)): (by, Period(period)) for by, period in pairs}.values())
    bloc_years = list({by.pk: by for by, _period in pairs}.values())
    periods = {period for _by, period in pairs}
    settings = {s.bloc_year_id: s for s in ScoringSettings.objects.filter(bloc_year__in=bloc_years)}
    for by in bloc_years:
        settings.setdefault(by.pk, ScoringSettings(bloc_year=by))  # defaults, never saved here
    wanted = {(by.pk, period) for by, period in pairs}
    # The model's order, by bloc-year id: not through the bloc and province (3 joins).
    sheets = [
        sheet
        for sheet in ScoreSheet.objects.filter(bloc_year__in=bloc_years, period__in=periods)
        .select_related("agency", "template")
        .order_by("bloc_year_id", "period", "agency__name")
        if (sheet.bloc_year_id, sheet.period) in wanted
    ]
    templates = {s.template_id: s.template for s in sheets}
    drafts, criteria = template_drafts(templates)
    columns_of = {s.pk: agreed_column(s, settings[s.bloc_year_id]) for s in sheets}
    inputs = agreed_inputs(columns_of, criteria)
    scored = {}
    for sheet in sheets:
        if column := columns_of[sheet.pk]:
            rules = settings[sheet.bloc_year_id]
            scored[sheet.pk] = column_score(
                drafts[sheet.template_id],
                inputs[sheet.pk],
                column=column,
                late=sheet.is_late,
                late_deduction=rules.late_deduction,
                require_evidence=rules.require_evidence,
            )
    publications = RankingPublication.objects.filter(bloc_year__in=bloc_years, period__in=periods)
    publications = {
        (p.bloc_year_id, p.period): p for p in publications.select_related("published_by")
    }
    members = _current_memberships(bloc_years, prefetched=members_prefetched)
    sheets_of = defaultdict(list)
    for sheet in sheets:
        sheets_of[(sheet.bloc_year_id, sheet.period)].append(sheet)
    return {
        (by.pk, period): _table(
            by,
            period,
            settings[by.pk],
            sheets_of[(by.pk, period)],
            members.get(by.pk, []),
            publication=publications.get((by.pk, period)),
            scored=scored,
            templates=templates,
            drafts=drafts,
        )
        for by, period in pairs
    }


def ranking_tables(bloc_years, period: str, *, members_prefetched: bool = False) -> dict:
    """The ``period`` table of each of ``bloc_years``, by bloc-year id (see
    :func:`ranking_tables_for`)."""
    tables = ranking_tables_for(
        [(by, period) for by in bloc_years], members_prefetched=members_prefetched
    )
    return {pk: table for (pk, _period), table in tables.items()}


def _table(by, period, settings, sheets, memberships, *, publication, scored, templates, drafts):
    reviewed = settings.is_reviewed(period)
    newest = max((s.template_id for s in sheets), default=None)
    draft = drafts.get(newest)
    regular = [g for g in draft.groups if g.kind == GroupKind.REGULAR] if draft else []
    columns = tuple(GroupColumn(g.code, g.title) for g in regular)
    ranked_sheets = {s.agency_id: s for s in sheets if s.pk in scored}
    member_scores = [
        MemberScore(
            agency_id=sheet.agency_id,
            name=sheet.agency.name,
            total=scored[sheet.pk].total,
            group_totals=scored[sheet.pk].group_totals,
            deduction_total=scored[sheet.pk].deduction_total,
            female_share=sheet.female_percent / 100 if sheet.female_percent is not None else None,
        )
        for sheet in ranked_sheets.values()
    ]
    tie_breaks = [code for code in settings.tie_break_list if code in TIE_BREAKS]
    first_group = columns[0].code if columns else "I"
    rows = []
    for ranked in rank_members(member_scores, tie_breaks=tie_breaks, first_group=first_group):
        sheet = ranked_sheets[ranked.member.agency_id]
        score = scored[sheet.pk]
        rows.append(
            RankingRow(
                rank=ranked.rank,
                agency=sheet.agency,
                sheet=sheet,
                score=score,
                groups=tuple(score.group_totals.get(c.code) for c in columns),
                decided_by=ranked.decided_by,
                decided_by_label=tie_break_label(ranked.decided_by, first_group=first_group),
                tie_unresolved=ranked.tie_unresolved,
            )
        )
    averages = group_averages(member_scores)
    by_agency = {s.agency_id: s for s in sheets}
    missing = [
        reason
        for m in sorted(memberships, key=lambda m: sort_key(m.agency.name))
        if (reason := _missing(m, by_agency.get(m.agency_id), reviewed)) is not None
    ]
    template = templates.get(newest)
    return RankingTable(
        bloc_year=by,
        period=period,
        reviewed=reviewed,
        columns=columns,
        rows=rows,
        averages=tuple(averages.get(c.code) for c in columns),
        average_bonus=_mean([r.score.bonus_total for r in rows]),
        average_deductions=_mean([r.score.deduction_total for r in rows]),
        average_total=_mean([r.total for r in rows]),
        missing=missing,
        publication=publication,
        top_score=template.base_total + template.bonus_cap if template else Decimal(100),
        tie_breaks=tie_breaks,
        sheets=sheets,
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    return round_points(sum(values, Decimal(0)) / len(values)) if values else None


def ranking_table(bloc_year, period: str, *, members_prefetched: bool = False) -> RankingTable:
    """The ``period`` table of ``bloc_year`` (see :func:`ranking_tables_for`)."""
    return ranking_tables([bloc_year], period, members_prefetched=members_prefetched)[bloc_year.pk]


def can_view_ranking(user, bloc_year, *, published: bool) -> bool:
    """The secretariat, the board and site admins always; the bloc's members
    once the ranking is published."""
    if permissions.is_secretariat(user, bloc_year) or is_board_for(
        user, bloc_year.bloc.province_id
    ):
        return True
    return published and bloc_permissions.is_member_user(user, bloc_year)


def agency_years(agency) -> list[BlocYear]:
    """Every bloc-year ``agency`` belonged to, oldest first, with all its members and
    their agencies (so :func:`ranking_tables_for` can take ``members_prefetched``)."""
    return list(
        BlocYear.objects.filter(memberships__agency=agency)
        .select_related("bloc")
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("agency")))
        .distinct()
        .order_by("year", "bloc__number")
    )


def year_end_history(
    agency, *, bloc_years=None, tables=None
) -> list[tuple[RankingTable, RankingRow | None]]:
    """Every bloc-year ``agency`` belonged to (``bloc_years``: :func:`agency_years`),
    oldest first, with its year-end table and its row there (None while not agreed); a
    fixed number of queries however many years. ``tables``: already built by
    :func:`ranking_tables_for` with (at least) those years' year-end tables."""
    if bloc_years is None:
        bloc_years = agency_years(agency)
    if tables is None:
        pairs = [(by, Period.YEAR_END) for by in bloc_years]
        tables = ranking_tables_for(pairs, members_prefetched=True)
    year_end = [tables[(by.pk, Period.YEAR_END)] for by in bloc_years]
    return [(table, table.row_for(agency.pk)) for table in year_end]
