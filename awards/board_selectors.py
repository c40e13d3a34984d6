"""What the provincial board reads: the proposals inbox with the province's
totals, and the multi-year memory of a bloc and of an agency.

Every function runs a fixed number of queries, whatever the number of
blocs, years, members or proposals (the memory pages use the bulk
:func:`covenants.scores.ranking.ranking_tables`), so the pages stay fast
as the years pile up.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Prefetch, When
from django.utils.translation import gettext as _

from blocs.links import link_maker
from blocs.models import Bloc, BlocYear, MemberRole, Membership
from covenants.models import Period
from covenants.scores.ranking import (
    RankingRow,
    RankingTable,
    agency_years,
    ranking_tables,
    year_end_history,
)

from .board import DECISION_STAGES
from .models import AwardKind, AwardProposal, DecisionOutcome

__all__ = [
    "AgencyYear",
    "BlocTotals",
    "BlocYearMemory",
    "GroupDelta",
    "Inbox",
    "agency_history",
    "bloc_history",
    "inbox",
    "proposals_with_decisions",
    "province_years",
    "year_end_tables",
]

_FLAG_FIRST = Case(When(award=AwardKind.FLAG, then=0), default=1)


# Inbox --------------------------------------------------------------------------------


@dataclass
class AwardTotals:
    award: str
    label: str
    proposed: int = 0
    approved: int = 0
    not_approved: int = 0

    @property
    def pending(self) -> int:
        return self.proposed - self.approved - self.not_approved


@dataclass
class BlocTotals:
    bloc_year: BlocYear
    #: Per award, in :class:`AwardKind` order.
    awards: list[AwardTotals]

    @property
    def proposed(self) -> int:
        return sum(t.proposed for t in self.awards)

    @property
    def approved(self) -> int:
        return sum(t.approved for t in self.awards)


@dataclass
class AwardGroup:
    award: str
    label: str
    proposals: list[AwardProposal]


@dataclass
class Inbox:
    year: int
    #: The province's bloc-years of the year whose proposals the board decides on.
    submitted: list[BlocYear]
    #: The others, with their stage: what the board still waits for.
    waiting: list[BlocYear]
    groups: list[AwardGroup]
    by_award: list[AwardTotals]
    by_bloc: list[BlocTotals]
    proposals: list[AwardProposal] = field(default_factory=list)

    @property
    def total(self) -> AwardTotals:
        total = AwardTotals("", _("All awards"))
        for row in self.by_award:
            total.proposed += row.proposed
            total.approved += row.approved
            total.not_approved += row.not_approved
        return total


def province_years(province) -> list[int]:
    """The years the province has bloc-years for, newest first (the year switcher)."""
    years = BlocYear.objects.filter(bloc__province=province).values_list("year", flat=True)
    return sorted(set(years), reverse=True)


def _count(totals: AwardTotals, proposal: AwardProposal) -> None:
    totals.proposed += 1
    decision = getattr(proposal, "decision", None)
    if decision is not None and decision.outcome == DecisionOutcome.APPROVED:
        totals.approved += 1
    elif decision is not None:
        totals.not_approved += 1


def proposals_with_decisions(bloc_year) -> list[AwardProposal]:
    """The bloc-year's proposals as :func:`awards.outcomes.proposals_for_page`
    lists them (flag first, with agency, poll and report), plus the board's
    decision, in the same single query."""
    return list(
        AwardProposal.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "poll", "achievement_report", "decision")
        .order_by(_FLAG_FIRST, "order", "pk")
    )


def decided_proposals(bloc_years) -> list[AwardProposal]:
    """The proposals of ``bloc_years``, by bloc then flag first, each with its
    agency, bloc and decision loaded (one query)."""
    return list(
        AwardProposal.objects.filter(bloc_year__in=bloc_years)
        .select_related("agency", "bloc_year__bloc", "decision__decided_by")
        .order_by("bloc_year__bloc__number", _FLAG_FIRST, "order", "pk")
    )


def inbox(*, province, year: int) -> Inbox:
    """Every proposal of the province's submitted or closed bloc-years of
    ``year``, grouped by award, with the totals per award and per bloc."""
    bloc_years = list(
        BlocYear.objects.filter(bloc__province=province, year=year)
        .select_related("bloc")
        .order_by("bloc__number")
    )
    submitted = [by for by in bloc_years if by.stage in DECISION_STAGES]
    waiting = [by for by in bloc_years if by.stage not in DECISION_STAGES]
    proposals = decided_proposals(submitted)
    by_award = {kind: AwardTotals(kind, label) for kind, label in AwardKind.choices}
    by_bloc = {
        by.pk: BlocTotals(by, [AwardTotals(k, label) for k, label in AwardKind.choices])
        for by in submitted
    }
    kinds = list(AwardKind.values)
    for proposal in proposals:
        _count(by_award[proposal.award], proposal)
        _count(by_bloc[proposal.bloc_year_id].awards[kinds.index(proposal.award)], proposal)
    groups = [
        AwardGroup(kind, label, [p for p in proposals if p.award == kind])
        for kind, label in AwardKind.choices
    ]
    return Inbox(
        year=year,
        submitted=submitted,
        waiting=waiting,
        groups=groups,
        by_award=list(by_award.values()),
        by_bloc=list(by_bloc.values()),
        proposals=proposals,
    )


def year_end_tables(*, province, year: int) -> list[RankingTable]:
    """The year-end ranking of every bloc of the province in ``year``, by bloc number."""
    bloc_years = list(
        BlocYear.objects.filter(bloc__province=province, year=year)
        .select_related("bloc")
        .order_by("bloc__number")
    )
    tables = ranking_tables(bloc_years, Period.YEAR_END)
    return [tables[by.pk] for by in bloc_years]


# Bloc memory --------------------------------------------------------------------------


@dataclass
class BlocYearMemory:
    bloc_year: BlocYear
    chair: object
    vice_chair: object
    #: The approved flag proposal, else the undecided one (``flag_decided`` False).
    flag: AwardProposal | None
    flag_decided: bool
    #: The flag proposals the province did not approve.
    flag_refused: list[AwardProposal]
    certificates: list[AwardProposal]
    table: RankingTable
    #: False: the ranking is not published and the viewer is not the board.
    show_ranks: bool
    #: Agency id → its history page: the view's (one ``reverse`` for the page,
    #: :func:`blocs.links.link_maker`, not one ``{% url %}`` per agency shown).
    agency_url: Callable[[int], str] | None = None

    @property
    def rows(self) -> list[RankingRow]:
        return self.table.rows if self.show_ranks else []

    @property
    def ranked(self) -> list[tuple[RankingRow, str]]:
        """The rows shown, each with its agency's history page."""
        return [(row, self.agency_url(row.agency.pk)) for row in self.rows]

    @property
    def certified(self) -> list[tuple[AwardProposal, str]]:
        """The certificate proposals, each with its agency's history page."""
        return [(p, self.agency_url(p.agency_id)) for p in self.certificates]

    @property
    def flag_url(self) -> str:
        return self.agency_url(self.flag.agency_id) if self.flag else ""


def _years_with_members(queryset):
    """With *all* the members and their agencies: the officers for the page, the
    current members for the ranking (``members_prefetched``), in one query."""
    return queryset.select_related("bloc").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
    )


def _flag_of(proposals: list[AwardProposal]):
    flags = [p for p in proposals if p.award == AwardKind.FLAG]
    decided = [p for p in flags if getattr(p, "decision", None) is not None]
    approved = [p for p in decided if p.decision.outcome == DecisionOutcome.APPROVED]
    refused = [p for p in decided if p.decision.outcome != DecisionOutcome.APPROVED]
    if approved:
        return approved[0], True, refused
    undecided = [p for p in flags if getattr(p, "decision", None) is None]
    return (undecided[0] if undecided else None), False, refused


def bloc_history(
    bloc: Bloc, *, see_unpublished: bool = False, agency_url: Callable[[int], str] | None = None
) -> list[BlocYearMemory]:
    """The bloc year by year, newest first: officers, flag, certificates, ranks;
    ``agency_url``: agency id → its history page, for the page's links."""
    agency_url = agency_url or link_maker("awards:agency_history")
    bloc_years = list(_years_with_members(BlocYear.objects.filter(bloc=bloc)).order_by("-year"))
    proposals: dict[int, list[AwardProposal]] = {by.pk: [] for by in bloc_years}
    for proposal in (
        AwardProposal.objects.filter(bloc_year__in=bloc_years)
        .select_related("agency", "decision")
        .order_by(_FLAG_FIRST, "order", "pk")
    ):
        proposals[proposal.bloc_year_id].append(proposal)
    tables = ranking_tables(bloc_years, Period.YEAR_END, members_prefetched=True)
    memory = []
    for by in bloc_years:
        flag, decided, refused = _flag_of(proposals[by.pk])
        table = tables[by.pk]
        memory.append(
            BlocYearMemory(
                bloc_year=by,
                chair=by.chair,
                vice_chair=by.vice_chair,
                flag=flag,
                flag_decided=decided,
                flag_refused=refused,
                certificates=[p for p in proposals[by.pk] if p.award == AwardKind.CERTIFICATE],
                table=table,
                show_ranks=see_unpublished or table.published,
                agency_url=agency_url,
            )
        )
    return memory


# Agency memory ------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupDelta:
    label: str
    before: Decimal
    after: Decimal

    @property
    def delta(self) -> Decimal:
        return self.after - self.before


@dataclass
class AgencyYear:
    bloc_year: BlocYear
    table: RankingTable
    row: RankingRow | None
    role: str
    proposal: AwardProposal | None
    #: The previous year's rank, when this year's differs from it.
    previous_rank: int | None = None
    #: What moved the total since the previous year, largest change first.
    movers: list[GroupDelta] = field(default_factory=list)

    @property
    def decision(self):
        return getattr(self.proposal, "decision", None) if self.proposal else None

    @property
    def rank_changed(self) -> bool:
        return self.previous_rank is not None


def group_deltas(before: RankingRow, after: RankingRow, columns) -> list[GroupDelta]:
    """Per group of criteria (matched by code), then bonus and deductions, the
    points that changed between two years' rows; zero changes left out."""
    deltas = []
    for column in columns:
        new = after.score.group_totals.get(column.code)
        if new is None:
            continue
        old = before.score.group_totals.get(column.code, Decimal(0))
        label = _("Group %(code)s – %(title)s") % {"code": column.code, "title": column.title}
        deltas.append(GroupDelta(label, old, new))
    deltas.append(GroupDelta(_("Bonus points"), before.score.bonus_total, after.score.bonus_total))
    # Deductions take points away: shown as their effect on the total.
    deltas.append(
        GroupDelta(
            _("Deductions and late penalty"),
            -(before.score.deduction_total + before.score.late_penalty),
            -(after.score.deduction_total + after.score.late_penalty),
        )
    )
    moved = [d for d in deltas if d.delta]
    return sorted(moved, key=lambda d: -abs(d.delta))


def agency_history(agency, *, see_unpublished: bool = False) -> list[AgencyYear]:
    """The agency year by year, newest first: bloc, role, rank, total, the award
    proposed and decided, and when the rank changed, the groups that moved."""
    bloc_years = agency_years(agency)
    history = year_end_history(agency, bloc_years=bloc_years)
    proposals = {
        p.bloc_year_id: p
        for p in AwardProposal.objects.filter(agency=agency, bloc_year__in=bloc_years)
        .select_related("decision")
        .order_by("pk")
    }
    roles = {
        m.bloc_year_id: m.role
        for by in bloc_years
        for m in by.memberships.all()
        if m.agency_id == agency.pk
    }
    years, previous = [], None
    for table, row in history:
        if not (see_unpublished or table.published):
            row = None
        entry = AgencyYear(
            bloc_year=table.bloc_year,
            table=table,
            row=row,
            role=MemberRole(roles.get(table.bloc_year.pk, MemberRole.MEMBER)).label,
            proposal=proposals.get(table.bloc_year.pk),
        )
        if row is not None and previous is not None and previous.rank != row.rank:
            entry.previous_rank = previous.rank
            entry.movers = group_deltas(previous, row, table.columns)
        previous = row if row is not None else previous
        years.append(entry)
    return list(reversed(years))
