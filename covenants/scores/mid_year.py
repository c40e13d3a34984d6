"""The year's scoring settings and the mid-year review record: one
function per change. The initiatives register is in :mod:`.initiatives`
(``initiatives_set`` is re-exported here).

Each service follows the blocs recipe: lock the bloc-year row (so two
secretariat members saving at once queue instead of overwriting each
other), check the right on the locked row, check the state, change,
record. The predicates live here rather than in :mod:`.permissions`
because they only concern these records.

Rules chosen here (domain.md §3, §9 rules 7–14):

* settings are the secretariat's or the board's until the year-end ranking
  is published; then the published ranking must stay reproducible, so they
  are frozen;
* "mid-year sheets are reviewed" may change only until the first mid-year
  sheet is submitted: after that, members would have submitted under one
  workflow and be judged under another;
* the mid-year review is recorded while the year is in progress and is
  read-only once held, unless the secretariat reopens it (still in
  progress), which is logged with the reason;
* initiative counts are kept by the agency itself or by the secretariat
  until that agency's year-end sheet is final.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import permissions as bloc_permissions
from blocs.models import BlocYear
from blocs.stages import Stage
from members import audit

from ..guards import mid_year_sheet_blockers
from ..models import (
    MidYearReview,
    MidYearStatus,
    Period,
    ScoreSheet,
    ScoringSettings,
    ScoringTemplate,
    SheetStatus,
)
from ..ranking import TIE_BREAKS
from ..sheet_rules import DEFAULT_BASE_TOTAL, format_points
from .core import record_year, settings_for
from .initiatives import initiative_criteria, initiatives_set, prefill_linked_lines
from .permissions import is_secretariat
from .selectors import is_published
from .sheets import default_reviewer

__all__ = [
    "MID_YEAR_FIELDS",
    "SETTINGS_FIELDS",
    "can_change_settings",
    "can_edit_mid_year",
    "can_view_minutes",
    "initiatives_set",
    "mid_year_review_hold",
    "mid_year_review_reopen",
    "mid_year_review_save",
    "mid_year_reviewed_locked",
    "scoring_settings_update",
    "settings_frozen",
]


SETTINGS_FIELDS = (
    "mid_year_deadline",
    "year_end_deadline",
    "late_policy",
    "late_deduction",
    "mid_year_reviewed",
    "review_gap",
    "require_evidence",
    "tie_breaks",
    "grassroots_initiatives_criterion",
    "provincial_initiatives_criterion",
)
MID_YEAR_FIELDS = (
    "number",
    "held_on",
    "place",
    "host_agency",
    "chaired_by",
    "secretary",
    "attendees",
    "results_summary",
    "limitations",
    "second_half_tasks",
)


def _lock_year(bloc_year) -> BlocYear:
    return BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)


def _current_member_ids(bloc_year) -> set[int]:
    return {m.agency_id for m in bloc_year.memberships.all() if m.left_on is None}


# Settings ------------------------------------------------------------------------


def settings_frozen(bloc_year) -> bool:
    """Frozen once the year-end ranking is published."""
    return is_published(bloc_year, Period.YEAR_END)


def can_change_settings(user, bloc_year, *, frozen: bool | None = None) -> bool:
    """Who sets the year's dates and members (secretariat, board), until frozen
    (``frozen``: :func:`settings_frozen`, when the caller already knows it)."""
    if frozen is None:
        frozen = settings_frozen(bloc_year)
    return bloc_permissions.can_edit_bloc_year(user, bloc_year) and not frozen


def mid_year_reviewed_locked(bloc_year) -> bool:
    """Whether mid-year review may no longer be switched on or off."""
    if bloc_year.stage not in (Stage.SETUP, Stage.SIGNING, Stage.IN_PROGRESS):
        return True
    return (
        ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
        .exclude(status=SheetStatus.DRAFT)
        .exists()
    )


def _base_total(bloc_year) -> Decimal:
    """The scale of the year's sheet (100 by default): no deduction or gap exceeds it."""
    template = ScoringTemplate.objects.filter(bloc_year=bloc_year).current_first().first()
    return template.base_total if template else Decimal(DEFAULT_BASE_TOTAL)


def _settings_errors(bloc_year, settings: ScoringSettings, before: dict) -> dict:
    errors = {}
    year = bloc_year.year
    mid, end = settings.mid_year_deadline, settings.year_end_deadline
    if mid and mid.year != year:
        errors["mid_year_deadline"] = _("The mid-year deadline falls in %(year)s.") % {"year": year}
    if end and end.year not in (year, year + 1):
        errors["year_end_deadline"] = _(
            "The year-end deadline falls in %(year)s or early the next year."
        ) % {"year": year}
    if mid and end and mid >= end and "mid_year_deadline" not in errors:
        errors["year_end_deadline"] = _("The year-end deadline comes after the mid-year one.")
    if settings.mid_year_reviewed != before["mid_year_reviewed"] and mid_year_reviewed_locked(
        bloc_year
    ):
        errors["mid_year_reviewed"] = _(
            "A mid-year sheet has been submitted: whether mid-year sheets are reviewed "
            "can no longer change."
        )
    base_total = _base_total(bloc_year)
    for field in ("late_deduction", "review_gap"):
        value = getattr(settings, field)
        if value is not None and not 0 <= value <= base_total:
            errors[field] = _("Enter a number of points from 0 to %(max)s.") % {
                "max": format_points(base_total)
            }
    codes = settings.tie_break_list
    if not codes or len(set(codes)) != len(codes) or not set(codes) <= set(TIE_BREAKS):
        errors["tie_breaks"] = _("Choose each tie-break at most once, from the list.")
    allowed = {criterion.pk for _key, criterion in initiative_criteria(bloc_year)}
    grassroots = settings.grassroots_initiatives_criterion_id
    provincial = settings.provincial_initiatives_criterion_id
    for field, value in (
        ("grassroots_initiatives_criterion", grassroots),
        ("provincial_initiatives_criterion", provincial),
    ):
        if value is not None and value not in allowed:
            errors[field] = _("Choose a count line of this year's frozen scoring sheet.")
    if grassroots is not None and grassroots == provincial:
        errors.setdefault(
            "provincial_initiatives_criterion",
            _("The two levels cannot feed the same line."),
        )
    return errors


@audit.service
@transaction.atomic
def scoring_settings_update(*, bloc_year, actor, data: dict) -> ScoringSettings:
    """Change the year's scoring settings; ``data`` holds some of
    :data:`SETTINGS_FIELDS` (criteria as model instances or None)."""
    bloc_year = _lock_year(bloc_year)
    bloc_year.refuse_if_closed()
    if not bloc_permissions.can_edit_bloc_year(actor, bloc_year):
        raise PermissionDenied(
            _("Only the secretariat or the board changes the scoring settings of an open year.")
        )
    if settings_frozen(bloc_year):
        raise ValidationError(
            _("The year-end ranking is published: the scoring settings are frozen."),
            code="frozen",
        )
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"not a settings field: {', '.join(sorted(unknown))}")
    settings = ScoringSettings.objects.select_for_update().get(pk=settings_for(bloc_year).pk)
    before = {field: getattr(settings, field) for field in SETTINGS_FIELDS}
    for field, value in data.items():
        setattr(settings, field, value)
    if errors := _settings_errors(bloc_year, settings, before):
        raise ValidationError(errors)
    settings.full_clean()
    settings.save()
    changed = [field for field in SETTINGS_FIELDS if getattr(settings, field) != before[field]]
    if "mid_year_reviewed" in changed:
        _apply_mid_year_reviewers(bloc_year, settings.mid_year_reviewed)
    if {"grassroots_initiatives_criterion", "provincial_initiatives_criterion"} & set(changed):
        prefill_linked_lines(bloc_year, settings, actor)
    if changed:
        record_year(
            bloc_year,
            "settings",
            "changed",
            actor=actor,
            note="; ".join(
                f"{ScoringSettings._meta.get_field(field).verbose_name}: "
                f"{_shown(before[field])} → {_shown(getattr(settings, field))}"
                for field in changed
            ),
        )
    return settings


def _shown(value) -> str:
    """A settings value as the trail writes it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Decimal):
        return format_points(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _apply_mid_year_reviewers(bloc_year, reviewed: bool) -> None:
    """Give the (still draft) mid-year sheets the reviewers the new setting
    implies: the chair's own sheet goes to the vice-chair, never to itself."""
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year, period=Period.MID_YEAR)
    if not reviewed:
        for sheet in sheets.filter(reviewer_agency__isnull=False):
            sheet.reviewer_agency = None
            sheet.save(update_fields=["reviewer_agency", "updated_at"])
        return
    for sheet in sheets.filter(reviewer_agency__isnull=True):
        reviewer = default_reviewer(bloc_year, sheet.agency_id)
        if reviewer is not None:
            sheet.reviewer_agency = reviewer
            sheet.save(update_fields=["reviewer_agency", "updated_at"])


# Mid-year review -----------------------------------------------------------------


def can_edit_mid_year(user, bloc_year) -> bool:
    """Draft, hold and reopen the record: the secretariat, while the year runs."""
    return (
        not bloc_year.is_read_only
        and bloc_year.stage == Stage.IN_PROGRESS
        and is_secretariat(user, bloc_year)
    )


def can_view_minutes(user, bloc_year, review) -> bool:
    """The secretariat and the board any time (a draft is marked); members once held."""
    if review is None:
        return False
    if is_secretariat(user, bloc_year) or bloc_permissions.is_board_for(
        user, bloc_year.bloc.province_id
    ):
        return True
    return review.is_held and bloc_permissions.is_member_user(user, bloc_year)


def _check_mid_year(actor, bloc_year) -> None:
    if bloc_year.is_read_only:
        raise PermissionDenied(_("The year is closed: its records are read-only."))
    if not is_secretariat(actor, bloc_year):
        raise PermissionDenied(_("Only the secretariat keeps the mid-year review record."))
    if bloc_year.stage != Stage.IN_PROGRESS:
        raise ValidationError(
            _("The mid-year review is recorded while the year is in progress."), code="stage"
        )


def _locked_review(bloc_year) -> MidYearReview | None:
    return MidYearReview.objects.select_for_update().filter(bloc_year=bloc_year).first()


@audit.service
@transaction.atomic
def mid_year_review_save(*, bloc_year, actor, data: dict) -> MidYearReview:
    """Create or update the draft record; ``data`` holds some of :data:`MID_YEAR_FIELDS`."""
    bloc_year = _lock_year(bloc_year)
    _check_mid_year(actor, bloc_year)
    review = _locked_review(bloc_year) or MidYearReview(bloc_year=bloc_year)
    if review.is_held:
        raise ValidationError(
            _("The review is recorded as held; reopen it to change the record."), code="held"
        )
    unknown = set(data) - set(MID_YEAR_FIELDS)
    if unknown:
        raise TypeError(f"not a mid-year review field: {', '.join(sorted(unknown))}")
    for field, value in data.items():
        setattr(review, field, value)
    errors = {}
    if review.host_agency_id and review.host_agency_id not in _current_member_ids(bloc_year):
        errors["host_agency"] = _("The host is one of this year's current members.")
    if review.held_on and review.held_on.year != bloc_year.year:
        errors["held_on"] = _("The review is held in %(year)s.") % {"year": bloc_year.year}
    if errors:
        raise ValidationError(errors)
    review.full_clean()
    review.save()
    record_year(bloc_year, "mid_year", "saved", actor=actor)
    return review


@audit.service
@transaction.atomic
def mid_year_review_hold(*, bloc_year, actor) -> MidYearReview:
    """Record the review as held: it needs its date, its summary and every
    current member's mid-year sheet submitted (each missing one named)."""
    bloc_year = _lock_year(bloc_year)
    _check_mid_year(actor, bloc_year)
    review = _locked_review(bloc_year)
    if review is None:
        raise ValidationError(_("Start the record of the review first."), code="no_record")
    if review.is_held:
        raise ValidationError(_("The review is already recorded as held."), code="held")
    blockers = []
    if review.held_on is None:
        blockers.append(_("Enter the date of the review."))
    if not review.results_summary.strip():
        blockers.append(_("Write the summary of results."))
    blockers.extend(mid_year_sheet_blockers(bloc_year))
    if blockers:
        raise ValidationError(blockers, code="blocked")
    review.status = MidYearStatus.HELD
    review.held_at = timezone.now()
    review.held_by = actor
    review.full_clean()
    review.save()
    record_year(bloc_year, "mid_year", "held", actor=actor)
    return review


@audit.service
@transaction.atomic
def mid_year_review_reopen(*, bloc_year, actor, reason: str) -> MidYearReview:
    """Back to draft to correct the record, while the year is still in progress."""
    bloc_year = _lock_year(bloc_year)
    _check_mid_year(actor, bloc_year)
    review = _locked_review(bloc_year)
    if review is None or not review.is_held:
        raise ValidationError(_("Only a review recorded as held can be reopened."), code="draft")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record must change.")}, code="reason")
    review.status = MidYearStatus.DRAFT
    review.held_at = None
    review.held_by = None
    review.save()
    record_year(bloc_year, "mid_year", "reopened", actor=actor, note=reason.strip())
    return review


# Initiatives register ------------------------------------------------------------
