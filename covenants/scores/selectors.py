"""What scoring pages read, with the blind-review rule in the query.

:func:`sheet_lines` selects only the columns the viewer may see (see
:mod:`.visibility`): a reviewer's page never *loads* a self-score, so no
template or serializer mistake can show one. Each read is a fixed number
of queries whatever the size of the sheet or the bloc.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.db.models import Count, Exists, F, OuterRef, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from members import caching
from members.models import Agency

from ..models import (
    Evidence,
    Period,
    RankingPublication,
    ScoreEvent,
    ScoreLine,
    ScoreSheet,
    ScoringCriterion,
    ScoringSettings,
    ScoringTemplate,
)
from .visibility import Visible

__all__ = [
    "LineRow",
    "cached_sheet_for_page",
    "is_published",
    "period_sheets",
    "published_periods",
    "settings_and_published",
    "sheet_events",
    "sheet_for_page",
    "sheet_lines",
    "year_sheets",
]


#: The sheet's period has its ranking published (built once: the expression is only read).
_PERIOD_PUBLISHED = Exists(
    RankingPublication.objects.filter(bloc_year=OuterRef("bloc_year"), period=OuterRef("period"))
)


#: The sheet's users are shown by name only (``get_full_name``): their other columns,
#: some forty, are not read.
_SHEET_USERS = ("submitted_by", "review_submitted_by", "finalized_by")


@cache
def _sheet_page_query():
    """What :func:`sheet_for_page` reads but its filter, built once per process (the
    subquery and the column list are the same for every sheet): the sheet with its
    agency, reviewer, template and users' names, whether its period is published,
    and the year's scoring settings, through the bloc-year of which only the id is
    read."""
    whole = {
        "": ScoreSheet,
        "agency__": Agency,
        "reviewer_agency__": Agency,
        "template__": ScoringTemplate,
        "bloc_year__scoring_settings__": ScoringSettings,
    }
    columns = [
        f"{path}{f.name}" for path, model in whole.items() for f in model._meta.concrete_fields
    ]
    columns += [f"{user}__{name}" for user in _SHEET_USERS for name in ("username", "full_name")]
    return (
        ScoreSheet.objects.select_related(
            "agency", "reviewer_agency", "template", "bloc_year__scoring_settings", *_SHEET_USERS
        )
        .only(*columns, "bloc_year__id")
        .annotate(period_published=_PERIOD_PUBLISHED)
        .order_by()
    )


def sheet_for_page(bloc_year, period: str, agency_id: int) -> ScoreSheet:
    """The sheet of ``agency_id`` for ``period`` in ``bloc_year`` (404 if none),
    with ``period_published``: :func:`is_published` of its period, read in the
    same query (every sheet page asks it, for the blind-review rule), and
    ``year_settings``: the year's :class:`ScoringSettings`, or None if the year
    has none yet (then ``core.settings_for`` creates them)."""
    if period not in Period.values:
        raise Http404
    sheet = get_object_or_404(
        _sheet_page_query(), bloc_year_id=bloc_year.pk, period=period, agency_id=agency_id
    )
    try:
        settings = sheet.bloc_year.scoring_settings
    except ScoringSettings.DoesNotExist:
        settings = None
    else:
        settings.bloc_year = bloc_year
    sheet.year_settings = settings
    sheet.bloc_year = bloc_year  # the caller's copy has memberships and delegations loaded
    return sheet


def cached_sheet_for_page(bloc_year, period: str, agency_id: int) -> ScoreSheet:
    """:func:`sheet_for_page` kept under the data version (:mod:`members.caching`): the
    sheet page's permission check needs the sheet on every request, before its cached
    body (issue 9). The sheet is kept without the caller's bloc-year, whose lazy
    delegations pickling would read and copy; each request's copy gets the caller's."""
    sheet = caching.remember(
        "covenants.sheet_for_page",
        (bloc_year.pk, period, agency_id),
        lambda: _without_bloc_year(sheet_for_page(bloc_year, period, agency_id)),
    )
    sheet.bloc_year = bloc_year
    if sheet.year_settings is not None:
        sheet.year_settings.bloc_year = bloc_year
    return sheet


def _without_bloc_year(sheet: ScoreSheet) -> ScoreSheet:
    ScoreSheet._meta.get_field("bloc_year").delete_cached_value(sheet)
    if sheet.year_settings is not None:
        ScoringSettings._meta.get_field("bloc_year").delete_cached_value(sheet.year_settings)
    return sheet


@dataclass
class LineRow:
    """One line as a page may show it: hidden values are None *and* were
    never read from the database (``shows_*`` say which were)."""

    pk: int
    key: str
    order: int
    criterion: ScoringCriterion
    explanation: str = ""
    evidence_note: str = ""
    self_value: Decimal | None = None
    review_value: Decimal | None = None
    review_note: str = ""
    final_value: Decimal | None = None
    final_reason: str = ""
    evidence: list = field(default_factory=list)
    shows_self: bool = False
    shows_review: bool = False
    shows_final: bool = False

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.evidence_note.strip())


_SELF_FIELDS = ("self_value", "explanation", "evidence_note")
_REVIEW_FIELDS = ("review_value", "review_note")
_FINAL_FIELDS = ("final_value", "final_reason")


def sheet_lines(sheet: ScoreSheet, visible: Visible) -> list[LineRow]:
    """The sheet's lines with only the ``visible`` columns read (four queries:
    lines, the template's groups and criteria, evidence files when the self side
    is visible).

    The criteria come from the sheet's template, prefetched on ``sheet.template``
    with its groups, because every page that shows lines also lays them out by
    ``sheet.template.to_draft()``, which then reads nothing more."""
    columns = ["pk", "key", "order", "criterion_id"]
    if visible.self_values:
        columns += _SELF_FIELDS
    if visible.review_values:
        columns += _REVIEW_FIELDS
    if visible.final_values:
        columns += _FINAL_FIELDS
    rows = list(ScoreLine.objects.filter(sheet=sheet).order_by("order", "pk").values(*columns))
    template = sheet.template
    prefetch_related_objects([template], "groups__criteria")
    criteria = {c.pk: c for group in template.groups.all() for c in group.criteria.all()}
    if missing := {row["criterion_id"] for row in rows} - criteria.keys():
        criteria |= ScoringCriterion.objects.in_bulk(missing)  # never, unless data was patched
    evidence: dict[int, list] = {}
    if visible.self_values:
        for item in Evidence.objects.filter(line__sheet=sheet).order_by("uploaded_at", "pk"):
            evidence.setdefault(item.line_id, []).append(item)
    lines = []
    for row in rows:
        pk = row.pop("pk")
        criterion = criteria[row.pop("criterion_id")]
        lines.append(
            LineRow(
                pk=pk,
                criterion=criterion,
                evidence=evidence.get(pk, []),
                shows_self=visible.self_values,
                shows_review=visible.review_values,
                shows_final=visible.final_values,
                **row,
            )
        )
    return lines


def sheet_events(sheet: ScoreSheet, visible: Visible) -> list[ScoreEvent]:
    """The trail, without value changes of columns the viewer may not see.

    The line is joined for its key only (``line_key``): selecting the whole
    line would read its hidden columns too.
    """
    hidden = [
        name
        for name, shown in (
            ("self", visible.self_values),
            ("review", visible.review_values),
            ("final", visible.final_values),
        )
        if not shown
    ]
    return list(
        ScoreEvent.objects.filter(sheet=sheet)
        .exclude(field__in=hidden)
        .select_related("actor")
        .annotate(line_key=F("line__key"))
    )


#: A sheet's evidence files, counted (built once: the expression is only read).
_EVIDENCE_COUNT = Coalesce(
    Subquery(
        Evidence.objects.filter(line__sheet=OuterRef("pk"))
        .order_by()
        .values("line__sheet")
        .annotate(n=Count("pk"))
        .values("n")
    ),
    0,
)


def _sheets_for_lists(bloc_year):
    """The sheets of ``bloc_year`` with ``evidence_count`` counted by a subquery per
    sheet and no ``Meta.ordering`` (which joins the bloc-year, the bloc and the
    province): a ``Count`` over the join of every line and file grouped by some forty
    columns cost the scores home a third of its time (issue 9). The agencies are not
    joined either: :func:`_in_name_order` takes them from the members."""
    return (
        ScoreSheet.objects.filter(bloc_year=bloc_year)
        .order_by()
        .annotate(evidence_count=_EVIDENCE_COUNT)
    )


def _in_name_order(sheets, bloc_year) -> list[ScoreSheet]:
    """``sheets`` with their bloc-year, agency and reviewer set, in Vietnamese order
    of the agencies' names.

    Sheets and reviewers are the year's members, whose agencies the bloc-year pages
    already hold (``bloc_year_detail`` prefetches them): one query fewer and some
    forty fewer model instances than joining them again. An agency that is not among
    them (a bloc-year read without its members, or data patched by hand) is read in
    one query."""
    from members.collation import sort_key

    sheets = list(sheets)
    agencies = {}
    if "memberships" in getattr(bloc_year, "_prefetched_objects_cache", {}):
        agencies = {m.agency_id: m.agency for m in bloc_year.memberships.all()}
    wanted = {s.agency_id for s in sheets} | {s.reviewer_agency_id for s in sheets}
    if missing := wanted - agencies.keys() - {None}:
        agencies |= Agency.objects.in_bulk(missing)
    # The fields' caches, as select_related fills them: assigning through the
    # descriptors would ask the database router about each pair again.
    agency_field = ScoreSheet._meta.get_field("agency")
    reviewer_field = ScoreSheet._meta.get_field("reviewer_agency")
    for sheet in sheets:
        sheet.bloc_year = bloc_year
        agency_field.set_cached_value(sheet, agencies[sheet.agency_id])
        reviewer_field.set_cached_value(sheet, agencies.get(sheet.reviewer_agency_id))
    return sorted(sheets, key=lambda s: sort_key(s.agency.name))


def period_sheets(bloc_year, period: str) -> list[ScoreSheet]:
    """Every sheet of the period with its agency and reviewer, in Vietnamese
    order of the agencies' names, and ``evidence_count`` annotated."""
    return _in_name_order(_sheets_for_lists(bloc_year).filter(period=period), bloc_year)


def year_sheets(bloc_year) -> dict[str, list[ScoreSheet]]:
    """:func:`period_sheets` of every period (key: the period's value; a period
    without sheets is absent), in one query rather than one per period."""
    by_period: dict[str, list[ScoreSheet]] = {}
    for sheet in _in_name_order(_sheets_for_lists(bloc_year), bloc_year):
        by_period.setdefault(sheet.period, []).append(sheet)
    return by_period


def is_published(bloc_year, period: str) -> bool:
    return RankingPublication.objects.filter(bloc_year=bloc_year, period=period).exists()


def published_periods(bloc_year) -> set[str]:
    """The periods whose ranking is published: :func:`is_published` of every
    period in one query."""
    return set(
        RankingPublication.objects.filter(bloc_year=bloc_year)
        .order_by()
        .values_list("period", flat=True)
    )


#: Each period's ranking is published, as annotations of the year's settings row
#: (built once: the expressions are only read).
_PUBLISHED_BY_PERIOD = {
    f"published_{period.value}": Exists(
        RankingPublication.objects.filter(bloc_year=OuterRef("bloc_year"), period=period.value)
    )
    for period in Period
}


def settings_and_published(bloc_year) -> tuple[ScoringSettings | None, set[str]]:
    """The year's scoring settings and :func:`published_periods`, in one query: the
    scores home needs both, and a query fewer is worth more than its SQL (issue 9).

    A year without settings yet gives None (``core.settings_for`` then creates them,
    as it always did) and its publications read on their own."""
    found = list(
        ScoringSettings.objects.filter(bloc_year=bloc_year)
        .annotate(**_PUBLISHED_BY_PERIOD)
        .order_by()[:1]
    )
    if not found:
        return None, published_periods(bloc_year)
    settings = found[0]
    settings.bloc_year = bloc_year
    published = {p.value for p in Period if getattr(settings, f"published_{p.value}")}
    return settings, published
