"""Who reviews whom: the secretariat's three ways of assigning reviewers.

Part of the review services (re-exported by :mod:`covenants.scores.review`,
which explains the recipe). An agency never reviews its own sheet (also a
database check), and a sheet whose review has started keeps its reviewer.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from blocs.models import BlocYear, Membership
from members import audit
from members.collation import sort_key

from ..models import Period, ScoreLine, ScoreSheet
from . import core, permissions
from .sheets import default_reviewer

__all__ = [
    "MODES",
    "check_period",
    "reviewers_assign",
    "rotation",
    "rotation_step",
    "started_reviews",
]

#: How the secretariat assigns reviewers (``reviewers_assign``'s ``mode``).
MODES = ("secretariat", "rotate", "manual")


def rotation_step(year: int, members: int) -> int:
    """How many places further the reviewer sits: 1 … n−1, moving on by one
    each year so that no agency reviews the same neighbour two years running
    (for three members or more)."""
    return 1 + (year % (members - 1))


def rotation(agencies, year: int) -> list[tuple]:
    """Cross review (chấm chéo): ``(agency, reviewer)`` pairs, agencies in
    Vietnamese alphabetical order, each reviewed by the agency
    :func:`rotation_step` places further, wrapping round. Never itself,
    since the step is never a multiple of the number of agencies."""
    ordered = sorted(agencies, key=lambda agency: sort_key(agency.name))
    count = len(ordered)
    if count < 2:
        return [(agency, None) for agency in ordered]
    step = rotation_step(year, count)
    return [(agency, ordered[(index + step) % count]) for index, agency in enumerate(ordered)]


def started_reviews(sheets) -> set[int]:
    """Ids of the ``sheets`` whose review has started: submitted, or a value
    or a note entered. Their reviewer no longer changes (one query)."""
    ids = [sheet.pk for sheet in sheets]
    started = {sheet.pk for sheet in sheets if sheet.review_submitted}
    started.update(
        ScoreLine.objects.filter(sheet_id__in=ids)
        .filter(Q(review_value__isnull=False) | ~Q(review_note=""))
        .values_list("sheet_id", flat=True)
        .distinct()
    )
    return started


def _lock_sheets(bloc_year, period) -> list[ScoreSheet]:
    """The period's sheets, locked in a fixed order. Only the sheets: the
    sheet services lock a sheet together with its year (``core.lock_sheet``),
    so locking the year first here could deadlock with them."""
    return list(
        ScoreSheet.objects.select_for_update(of=("self",))
        .filter(bloc_year_id=bloc_year.pk, period=period)
        .select_related("agency", "reviewer_agency")
        .order_by("pk")
    )


def _fresh_year(bloc_year) -> BlocYear:
    """The year as it is now (its stage, chair and members), read after the lock."""
    return (
        BlocYear.objects.select_related("bloc")
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("agency"))
        )
        .get(pk=bloc_year.pk)
    )


def check_period(bloc_year, period) -> None:
    """The period's sheets may change now, and they are reviewed at all."""
    if not permissions.period_is_open(bloc_year, period):
        raise ValidationError(
            _("The %(period)s sheets can no longer change at this stage of the year.")
            % {"period": Period(period).label.lower()},
            code="period_closed",
        )
    if not core.settings_for(bloc_year).is_reviewed(period):
        raise ValidationError(
            _("The %(period)s sheets are not reviewed this year.")
            % {"period": Period(period).label.lower()},
            code="not_reviewed",
        )


def _manual_targets(sheets, members: dict, assignments: dict) -> dict:
    """sheet id → reviewer, from ``assignments`` (agency id → reviewer id or None)."""
    by_agency = {sheet.agency_id: sheet for sheet in sheets}
    targets, errors = {}, {}
    for agency_id, reviewer_id in assignments.items():
        sheet = by_agency.get(agency_id)
        if sheet is None:
            errors[str(agency_id)] = _("This agency has no sheet for this period.")
        elif reviewer_id is None:
            targets[sheet.pk] = None
        elif reviewer_id == agency_id:
            errors[str(agency_id)] = _("%(agency)s cannot review its own sheet.") % {
                "agency": sheet.agency.name
            }
        elif reviewer_id not in members:
            errors[str(agency_id)] = _(
                "The chosen reviewer of %(agency)s is not a current member of the bloc."
            ) % {"agency": sheet.agency.name}
        else:
            targets[sheet.pk] = members[reviewer_id]
    if errors:
        raise ValidationError(errors, code="bad_assignment")
    return targets


@audit.service
@transaction.atomic
def reviewers_assign(
    *, bloc_year, period, actor, mode: str, assignments: dict | None = None
) -> list[ScoreSheet]:
    """Choose who reviews each sheet of ``period``; returns the sheets changed.

    ``mode``: ``secretariat`` (the secretariat reviews every sheet but the
    chair's, which the vice-chair reviews), ``rotate`` (cross review, see
    :func:`rotation`) or ``manual`` (``assignments``: agency id → reviewer
    agency id, or None for the secretariat). A sheet whose review has
    started keeps its reviewer: the work done would be lost or seen by the
    wrong agency. Errors are keyed by the scored agency's id.
    """
    if period not in Period.values:
        raise ValidationError(_("Unknown scoring period."), code="period")
    sheets = _lock_sheets(bloc_year, period)
    year = _fresh_year(bloc_year)
    year.refuse_if_closed()
    if not permissions.can_manage_scoring(actor, year):
        raise PermissionDenied(_("Only the secretariat assigns reviewers, while the year is open."))
    check_period(year, period)
    if mode not in MODES:
        raise ValidationError(_("Choose how reviewers are assigned."), code="mode")
    members = {m.agency_id: m.agency for m in year.memberships.all() if m.left_on is None}
    current = [sheet for sheet in sheets if sheet.agency_id in members]
    if mode == "secretariat":
        targets = {s.pk: default_reviewer(year, s.agency_id) for s in current}
    elif mode == "rotate":
        if len(current) < 2:
            raise ValidationError(_("Cross review needs at least two members."), code="few")
        pairs = dict(rotation([s.agency for s in current], year.year))
        targets = {s.pk: pairs[s.agency] for s in current}
    else:
        targets = _manual_targets(sheets, members, assignments or {})

    changed = [
        sheet
        for sheet in sheets
        if sheet.pk in targets
        and (targets[sheet.pk].pk if targets[sheet.pk] else None) != sheet.reviewer_agency_id
    ]
    started = started_reviews(changed)
    if started:
        raise ValidationError(
            {
                str(sheet.agency_id): _(
                    "The review of %(agency)s's sheet has started; its reviewer can no "
                    "longer change."
                )
                % {"agency": sheet.agency.name}
                for sheet in changed
                if sheet.pk in started
            },
            code="started",
        )
    for sheet in changed:
        reviewer = targets[sheet.pk]
        sheet.reviewer_agency = reviewer
        sheet.full_clean()
        sheet.save(update_fields=["reviewer_agency", "updated_at"])
        note = reviewer.name if reviewer else _("The bloc secretariat")
        core.record(sheet, "reviewer_assigned", actor=actor, note=note)
    return changed
