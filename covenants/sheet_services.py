"""Every write of a bloc-year's scoring-sheet template goes through a function here.

The sheet is set up with the year: the secretariat of the year or the
provincial board drafts it while the bloc-year is in set-up, by hand, from
an Excel file (:mod:`covenants.sheet_excel`) or by copying last year's. When
covenant signing opens, the year's stage transition freezes the draft
(:func:`template_freeze_current`); from then on the sheet is read-only, and a
year that is past set-up or closed refuses every edit.

Each edit locks the bloc-year row first, so two people editing the same
year's sheet take turns, then checks the year is open and in set-up and
that the actor may edit it, then validates the content with the pure rules
of :mod:`covenants.sheet_rules`: a stored draft is never half valid.

Versions: a year has at most one draft. During set-up a frozen version can
be followed by a new draft copied from it (:func:`template_new_version`);
the newest frozen version is the one in force (:func:`current_template`).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from blocs.permissions import can_edit_bloc_year, is_board_for, is_secretariat
from blocs.stages import Stage
from members import audit

from .models.sheet import (
    ScoringCriterion,
    ScoringGroup,
    ScoringTemplate,
    TemplateStatus,
)
from .sheet_rules import (
    DEFAULT_BASE_TOTAL,
    DEFAULT_BONUS_CAP,
    CriterionDraft,
    TemplateDraft,
    validate_template,
)

__all__ = [
    "can_edit_template",
    "current_template",
    "draft_template",
    "template_copy_from_previous",
    "template_create",
    "template_discard_draft",
    "template_freeze",
    "template_freeze_current",
    "template_lock_for_edit",
    "template_new_version",
    "template_replace_content",
    "template_signing_blockers",
]


# Permissions and reads -----------------------------------------------------


def can_edit_template(user, bloc_year: BlocYear) -> bool:
    """The year's secretariat or its province's board, while the year is in set-up."""
    return bloc_year.stage == Stage.SETUP and can_edit_bloc_year(user, bloc_year)


def current_template(bloc_year: BlocYear) -> ScoringTemplate | None:
    """The sheet in force: the newest frozen version, else the newest draft.

    Groups and criteria come prefetched: three queries whatever the size.
    """
    return (
        ScoringTemplate.objects.filter(bloc_year=bloc_year).current_first().with_content().first()
    )


def draft_template(bloc_year: BlocYear) -> ScoringTemplate | None:
    """The year's draft, if any, with groups and criteria prefetched (the edit page)."""
    return (
        ScoringTemplate.objects.filter(bloc_year=bloc_year, status=TemplateStatus.DRAFT)
        .with_content()
        .first()
    )


def template_signing_blockers(bloc_year: BlocYear) -> list[str]:
    """Why signing cannot open yet as far as the sheet goes (a stage guard).

    The year needs a sheet; a draft, which signing will freeze, must be valid.
    """
    templates = list(ScoringTemplate.objects.filter(bloc_year=bloc_year).order_by("-version"))
    if not templates:
        return [_("The year has no scoring sheet yet.")]
    draft = next((t for t in templates if t.is_draft), None)
    if draft is None:
        return []
    return [
        _("Scoring sheet, version %(version)s: %(problem)s")
        % {"version": draft.version, "problem": problem}
        for problem in validate_template(draft.to_draft())
    ]


# Guards --------------------------------------------------------------------


def _lock_year_for_edit(bloc_year: BlocYear, actor) -> BlocYear:
    locked = BlocYear.objects.select_for_update().select_related("bloc").get(pk=bloc_year.pk)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its scoring sheet can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not (is_board_for(actor, locked.bloc.province_id) or is_secretariat(actor, locked)):
        raise PermissionDenied(_("You may not change this year's scoring sheet."))
    if locked.stage != Stage.SETUP:
        raise ValidationError(
            _("The scoring sheet is fixed once covenant signing opens; the year is at “%(stage)s”.")
            % {"stage": Stage(locked.stage).label},
            code="not_setup",
        )
    return locked


@audit.service
def template_lock_for_edit(*, template: ScoringTemplate, actor) -> ScoringTemplate:
    """Lock a draft and its year for an edit, refusing as every edit does.

    For callers that compose an edit in their own transaction (the Excel
    import checks the actor before reading the file).
    """
    _lock_year_for_edit(template.bloc_year, actor)
    locked = ScoringTemplate.objects.select_for_update().get(pk=template.pk)
    if not locked.is_draft:
        raise ValidationError(
            _(
                "Version %(version)s of the scoring sheet is frozen; start a new version to "
                "change it."
            )
            % {"version": locked.version},
            code="frozen",
        )
    return locked


def _refuse_second_draft(bloc_year: BlocYear) -> None:
    draft = bloc_year.scoring_templates.filter(status=TemplateStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("This year already has a draft scoring sheet (version %(version)s); change it.")
            % {"version": draft.version},
            code="draft_exists",
        )


def _raise_issues(draft: TemplateDraft) -> None:
    if problems := validate_template(draft):
        raise ValidationError(
            [ValidationError(problem, code="invalid_sheet") for problem in problems]
        )


def _next_version(bloc_year: BlocYear) -> int:
    latest = bloc_year.scoring_templates.aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


# Writing the content -------------------------------------------------------


def _clean_row(row) -> None:
    # Field validation only: the pure rules have checked what spans rows and
    # the row constraints (validating those costs a query each, per line),
    # and the database enforces the constraints anyway.
    exclude = [f.name for f in row._meta.fields if f.is_relation]
    row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _add_criterion(group, draft: CriterionDraft, order: int, parent=None) -> ScoringCriterion:
    criterion = ScoringCriterion(
        group=group,
        parent=parent,
        order=order,
        code=draft.code,
        title=draft.title,
        kind=draft.kind,
        max_points=draft.max_points,
        points_per_item=draft.points_per_item,
        evidence_required=draft.evidence_required,
        guidance=draft.guidance,
    )
    _clean_row(criterion)
    criterion.save()
    return criterion


def _write_content(template: ScoringTemplate, draft: TemplateDraft) -> ScoringTemplate:
    """Replace the template's settings, groups and criteria with the draft's."""
    if template.pk is not None:
        template.groups.all().delete()
    template.base_total = draft.base_total
    template.bonus_cap = draft.bonus_cap
    template.deduction_cap = draft.deduction_cap
    template.full_clean()
    template.save()
    for group_order, group_draft in enumerate(draft.groups, start=1):
        group = ScoringGroup(
            template=template,
            order=group_order,
            code=group_draft.code,
            title=group_draft.title,
            max_points=group_draft.max_points,
        )
        _clean_row(group)
        group.save()
        # One running order per group: a parent, its sub-criteria, the next parent.
        order = 0
        for criterion_draft in group_draft.criteria:
            order += 1
            parent = _add_criterion(group, criterion_draft, order)
            for child in criterion_draft.children:
                order += 1
                _add_criterion(group, child, order, parent)
    return template


def _new_template(bloc_year: BlocYear, actor, *, version: int, draft: TemplateDraft):
    template = ScoringTemplate(bloc_year=bloc_year, version=version, created_by=actor)
    return _write_content(template, draft)


# Services ------------------------------------------------------------------


@audit.service
@transaction.atomic
def template_create(
    *,
    bloc_year: BlocYear,
    actor,
    base_total: Decimal | int = DEFAULT_BASE_TOTAL,
    bonus_cap: Decimal | int = DEFAULT_BONUS_CAP,
    deduction_cap: Decimal | int | None = None,
) -> ScoringTemplate:
    """An empty draft with the given settings, as the next version of the year."""
    locked = _lock_year_for_edit(bloc_year, actor)
    _refuse_second_draft(locked)
    template = ScoringTemplate(
        bloc_year=locked,
        version=_next_version(locked),
        base_total=Decimal(base_total),
        bonus_cap=Decimal(bonus_cap),
        deduction_cap=None if deduction_cap is None else Decimal(deduction_cap),
        created_by=actor,
    )
    template.full_clean()
    template.save()
    return template


@audit.service
@transaction.atomic
def template_copy_from_previous(*, bloc_year: BlocYear, actor) -> ScoringTemplate:
    """Version 1 of the year: a draft copy of the sheet in force in the bloc's
    previous year (its newest frozen version, else its newest draft).

    Only for a year with no sheet at all; a year that has one changes it, or
    imports a file into its draft.
    """
    locked = _lock_year_for_edit(bloc_year, actor)
    if locked.scoring_templates.exists():
        raise ValidationError(
            _("This year already has a scoring sheet; change it instead of copying."),
            code="sheet_exists",
        )
    previous = (
        BlocYear.objects.filter(bloc_id=locked.bloc_id, year__lt=locked.year)
        .order_by("-year")
        .first()
    )
    if previous is None:
        raise ValidationError(
            _("The bloc has no earlier year to copy a scoring sheet from."), code="no_previous"
        )
    source = current_template(previous)
    if source is None:
        raise ValidationError(
            _("The bloc's year %(year)s has no scoring sheet to copy.") % {"year": previous.year},
            code="no_previous",
        )
    return _new_template(locked, actor, version=1, draft=source.to_draft())


@audit.service
@transaction.atomic
def template_replace_content(
    *, template: ScoringTemplate, actor, draft: TemplateDraft
) -> ScoringTemplate:
    """Replace a draft's settings, groups and criteria (edit form, Excel import).

    Refuses a frozen template, a year past set-up, and a draft that breaks
    any rule of :mod:`covenants.sheet_rules` (all its problems listed).
    """
    locked = template_lock_for_edit(template=template, actor=actor)
    _raise_issues(draft)
    return _write_content(locked, draft)


@audit.service
@transaction.atomic
def template_new_version(*, bloc_year: BlocYear, actor) -> ScoringTemplate:
    """A new draft copied from the newest frozen version, during set-up only."""
    locked = _lock_year_for_edit(bloc_year, actor)
    _refuse_second_draft(locked)
    source = (
        locked.scoring_templates.filter(status=TemplateStatus.FROZEN)
        .order_by("-version")
        .with_content()
        .first()
    )
    if source is None:
        raise ValidationError(
            _("No version of the scoring sheet is frozen yet; change the draft instead."),
            code="nothing_frozen",
        )
    return _new_template(locked, actor, version=_next_version(locked), draft=source.to_draft())


@audit.service
@transaction.atomic
def template_discard_draft(*, template: ScoringTemplate, actor) -> None:
    """Delete a draft (e.g. a new version nobody wants), during set-up only."""
    locked = template_lock_for_edit(template=template, actor=actor)
    locked.delete()


@transaction.atomic
def template_freeze(*, template: ScoringTemplate) -> ScoringTemplate:
    """Freeze a valid draft: from now on it is read-only and the sheet in force.

    No actor and no permission check: this is not a user action of its own
    but part of the bloc-year's ``open_signing`` transition, whose service
    has already locked the year and checked that the actor may open signing
    (the board or the secretariat, the same people who edit the sheet).
    """
    locked = ScoringTemplate.objects.select_for_update().get(pk=template.pk)
    if not locked.is_draft:
        raise ValidationError(
            _("Version %(version)s of the scoring sheet is already frozen.")
            % {"version": locked.version},
            code="frozen",
        )
    _raise_issues(locked.to_draft())
    locked.status = TemplateStatus.FROZEN
    locked.frozen_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "frozen_at"])
    return locked


@transaction.atomic
def template_freeze_current(*, bloc_year: BlocYear) -> ScoringTemplate | None:
    """Freeze the year's draft if it has one; return the sheet in force.

    For the ``open_signing`` transition (see :func:`template_freeze` for why
    there is no actor); pair it with :func:`template_signing_blockers` as
    the transition's guard.
    """
    draft = ScoringTemplate.objects.filter(bloc_year=bloc_year, status=TemplateStatus.DRAFT)
    if (template := draft.first()) is not None:
        template_freeze(template=template)
    return current_template(bloc_year)
