"""The voting rules as data: the board's province defaults, a year's own
rules and each member's eligibility (domain.md §4, §9 rules 14–25).

A year copies the province's defaults the first time they are needed
(:func:`awards.core.rules_for`) and may adjust them at the year-end scoring
and conference stages, until the first poll opens and freezes them: every
outcome must be explainable by the rule in force when the ballots were cast.
Eligibility (discipline, task completion) gates who may be a candidate, so
it too stops changing once voting has opened.

Services follow the app's recipe (lock, permission on the locked row,
checks, change, trail with what changed). Bad values raise one
``ValidationError`` keyed by form field, so a page shows every problem next
to its field and saves nothing.
"""

from dataclasses import dataclass
from math import ceil

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.permissions import is_board_for
from blocs.stages import STAGE_ORDER, Stage
from members import audit
from members.models import Province
from members.permissions import is_site_admin

from . import core, tally
from .models import (
    ConferenceEvent,
    Eligibility,
    Poll,
    PollStatus,
    ProvinceVotingDefaults,
    TaskCompletion,
    VotingRules,
)
from .permissions import can_set_province_defaults, is_secretariat

__all__ = [
    "ELIGIBILITY_FIELDS",
    "RULE_EDIT_STAGES",
    "can_edit_rules",
    "can_set_eligibility",
    "can_view_eligibility",
    "eligibility_rows",
    "eligibility_set",
    "province_defaults_for",
    "province_defaults_update",
    "rule_errors",
    "rules_events",
    "rules_in_words",
    "rules_preview",
    "unsaved_rules",
    "voting_opened",
    "voting_rules_update",
]

RULE_FIELDS = VotingRules.RULE_FIELDS
#: A year's rules change while its scores are settled and the conference is
#: prepared; earlier the year has nothing to vote on yet.
RULE_EDIT_STAGES = (Stage.SCORING, Stage.CONFERENCE)
ELIGIBILITY_FIELDS = ("under_discipline", "task_completion", "excellent_previous_year", "note")
_THRESHOLDS = ("flag", "certificate", "election")


# Who may ------------------------------------------------------------------------------


def _oversees(user, bloc_year) -> bool:
    return is_secretariat(user, bloc_year) or is_board_for(user, bloc_year.bloc.province_id)


def can_edit_rules(user, bloc_year) -> bool:
    """The secretariat or the board, at scoring or conference, not once closed
    (frozen rules are refused by the service with the reason)."""
    return (
        not bloc_year.is_read_only
        and bloc_year.stage in RULE_EDIT_STAGES
        and _oversees(user, bloc_year)
    )


def can_view_eligibility(user, bloc_year) -> bool:
    """Discipline cases are not for every member to read."""
    return _oversees(user, bloc_year) or is_site_admin(user)


def can_set_eligibility(user, bloc_year) -> bool:
    return (
        not bloc_year.is_read_only
        and STAGE_ORDER.index(Stage(bloc_year.stage)) <= STAGE_ORDER.index(Stage.CONFERENCE)
        and _oversees(user, bloc_year)
    )


def voting_opened(bloc_year, rules: VotingRules | None = None) -> bool:
    """The rules are frozen, or a poll is open or closed."""
    if rules is None:
        rules = VotingRules.objects.filter(bloc_year=bloc_year).first()
    if rules is not None and rules.is_frozen:
        return True
    return Poll.objects.filter(bloc_year=bloc_year).exclude(status=PollStatus.DRAFT).exists()


# Reading ------------------------------------------------------------------------------


def province_defaults_for(province) -> ProvinceVotingDefaults:
    """The province's defaults, or (unsaved) the domain's when the board has set none."""
    defaults = ProvinceVotingDefaults.objects.filter(province=province).first()
    return defaults or ProvinceVotingDefaults(province=province)


def rules_preview(bloc_year) -> VotingRules:
    """The year's rules without writing anything: the saved ones, else
    (unsaved) what :func:`core.rules_for` would copy from the province."""
    rules = VotingRules.objects.filter(bloc_year=bloc_year).first()
    return rules if rules is not None else unsaved_rules(bloc_year)


def unsaved_rules(bloc_year) -> VotingRules:
    """What :func:`core.rules_for` would copy from the province, not saved (one query)."""
    defaults = ProvinceVotingDefaults.objects.filter(province_id=bloc_year.bloc.province_id).first()
    return VotingRules(bloc_year=bloc_year, **(defaults.rule_values() if defaults else {}))


@dataclass(frozen=True)
class RuleLine:
    label: str
    text: str


def _threshold(rules, prefix: str) -> tally.Threshold | None:
    try:
        return tally.Threshold(
            getattr(rules, f"{prefix}_numerator"),
            getattr(rules, f"{prefix}_denominator"),
            getattr(rules, f"{prefix}_strict"),
            tally.Base(getattr(rules, f"{prefix}_base")),
        )
    except ValueError:
        return None


def rules_in_words(rules, members: int) -> list[RuleLine]:
    """The rules as sentences, counted for ``members`` member units (with
    every member present and voting, for the bases that depend on it)."""
    lines = []
    if rules.quorum_denominator:
        required = ceil(rules.quorum_numerator * members / rules.quorum_denominator)
        lines.append(
            RuleLine(
                _("Quorum"),
                _(
                    "at least %(fraction)s of the members present or represented: "
                    "%(required)s of %(members)s"
                )
                % {
                    "fraction": f"{rules.quorum_numerator}/{rules.quorum_denominator}",
                    "required": required,
                    "members": members,
                },
            )
        )
    labels = {
        "flag": _("Emulation flag"),
        "certificate": _("Certificates of merit"),
        "election": _("Next chair and vice-chair"),
    }
    for prefix in _THRESHOLDS:
        threshold = _threshold(rules, prefix)
        if threshold is None:
            continue
        text = tally.threshold_text(threshold, members)
        if threshold.base != tally.Base.MEMBERS:
            text = _("%(rule)s (with all %(members)s members voting)") % {
                "rule": text,
                "members": members,
            }
        lines.append(RuleLine(labels[prefix], text))
    quota = tally.certificate_quota(
        members, min(rules.certificate_quota_percent, 100), flag_units=rules.flag_nominees
    )
    lines.append(
        RuleLine(
            _("Places"),
            _("flag nominees: %(flag)s; certificates: at most %(quota)s of %(members)s members")
            % {"flag": rules.flag_nominees, "quota": quota, "members": members},
        )
    )
    lines.append(
        RuleLine(
            _("Rounds"),
            _("at most %(rounds)s; then: %(fallback)s")
            % {"rounds": rules.max_rounds, "fallback": rules.get_fallback_display()},
        )
    )
    return lines


def rules_events(bloc_year, *actions: str) -> list[ConferenceEvent]:
    return list(
        ConferenceEvent.objects.filter(bloc_year=bloc_year, action__in=actions).select_related(
            "actor"
        )
    )


# Checking -----------------------------------------------------------------------------


def rule_errors(values: dict) -> dict[str, str]:
    """Field → message for every rule value that cannot work; ``values``
    holds every field of ``RULE_FIELDS``."""
    errors = {}
    for prefix in ("quorum", *_THRESHOLDS):
        numerator = values[f"{prefix}_numerator"]
        denominator = values[f"{prefix}_denominator"]
        if denominator < 1:
            errors[f"{prefix}_denominator"] = _("The denominator must be at least 1.")
        elif not 1 <= numerator <= denominator:
            errors[f"{prefix}_numerator"] = _(
                "The numerator must be between 1 and the denominator (%(denominator)s)."
            ) % {"denominator": denominator}
        elif prefix != "quorum" and values[f"{prefix}_strict"] and numerator == denominator:
            errors[f"{prefix}_strict"] = _(
                "“More than” all of the base can never be reached; untick it for “at least”."
            )
    if values["certificate_quota_percent"] > 100:
        errors["certificate_quota_percent"] = _("The quota is at most 100.")
    if values["max_rounds"] < 1:
        errors["max_rounds"] = _("There is at least 1 round.")
    return errors


def _shown(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value) if value not in (None, "") else "—"


def _apply(target, data: dict) -> list[str]:
    """Set ``data`` on ``target``, check it; the changes as "label: a → b"."""
    unknown = set(data) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"not a rule field: {', '.join(sorted(unknown))}")
    before = target.rule_values()
    for field, value in data.items():
        setattr(target, field, value)
    if errors := rule_errors(target.rule_values()):
        raise ValidationError(errors, code="invalid")
    target.full_clean()
    changes = []
    for field in RULE_FIELDS:
        old, new = before[field], getattr(target, field)
        if old != new:
            model_field = target._meta.get_field(field)
            if model_field.choices:
                choices = dict(model_field.flatchoices)
                old, new = choices.get(old, old), choices.get(new, new)
            changes.append(f"{model_field.verbose_name}: {_shown(old)} → {_shown(new)}")
    return changes


# Services -----------------------------------------------------------------------------


@audit.service
@transaction.atomic
def province_defaults_update(*, province, actor, data: dict) -> ProvinceVotingDefaults:
    """The board's defaults for every bloc of its province. Years whose rules
    exist keep them: a year copies the defaults once, when first needed.

    The conference trail belongs to a bloc-year, so this change has none;
    ``updated_at`` says when the defaults last changed.
    """
    province = Province.objects.select_for_update().get(pk=province.pk)
    if not can_set_province_defaults(actor, province.pk):
        raise PermissionDenied(_("Only the provincial board sets the voting defaults."))
    defaults, _created = ProvinceVotingDefaults.objects.select_for_update().get_or_create(
        province=province
    )
    _apply(defaults, data)
    defaults.save()
    return defaults


@audit.service
@transaction.atomic
def voting_rules_update(*, bloc_year, actor, data: dict) -> VotingRules:
    """Adjust the year's rules, until voting opens."""
    locked = core.lock_year(bloc_year)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not _oversees(actor, locked):
        raise PermissionDenied(_("Only the secretariat or the board changes the voting rules."))
    if locked.stage not in RULE_EDIT_STAGES:
        raise ValidationError(
            _(
                "The voting rules are adjusted at the year-end scoring and conference stages; "
                "the year is at “%(stage)s”."
            )
            % {"stage": Stage(locked.stage).label},
            code="wrong_stage",
        )
    rules = VotingRules.objects.select_for_update().get(pk=core.rules_for(locked).pk)
    if rules.is_frozen:
        raise ValidationError(
            _("Voting has opened: the year's rules are frozen."),
            code="frozen",
        )
    changes = _apply(rules, data)
    rules.save()
    if changes:
        core.record(locked, "rules_changed", actor=actor, note="; ".join(changes))
    return rules


def eligibility_rows(bloc_year) -> list[tuple]:
    """(agency, eligibility) per current member, alphabetical; a member
    without a row gets an unsaved one with the defaults (eligible)."""
    saved = {e.agency_id: e for e in Eligibility.objects.filter(bloc_year=bloc_year)}
    return [
        (m.agency, saved.get(m.agency_id) or Eligibility(bloc_year=bloc_year, agency=m.agency))
        for m in bloc_year.memberships.all()
        if m.left_on is None
    ]


@audit.service
@transaction.atomic
def eligibility_set(*, bloc_year, actor, rows: dict) -> list[Eligibility]:
    """Record what gates each member's nomination; ``rows``: agency id →
    {under_discipline, task_completion, excellent_previous_year, note}.

    Errors are keyed ``<field>_<agency id>`` (the form's field names)."""
    locked = core.lock_year(bloc_year)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not _oversees(actor, locked):
        raise PermissionDenied(_("Only the secretariat or the board records eligibility."))
    if not can_set_eligibility(actor, locked):
        raise ValidationError(
            _("The proposals have been submitted: eligibility can no longer change."),
            code="wrong_stage",
        )
    if voting_opened(locked):
        raise ValidationError(
            _("Voting has opened: eligibility can no longer change."), code="frozen"
        )
    current = {m.agency_id: m.agency for m in locked.memberships.current().select_related("agency")}
    saved = {
        e.agency_id: e for e in Eligibility.objects.select_for_update().filter(bloc_year=locked)
    }
    errors, changes, to_save = {}, [], []
    for agency_id, values in rows.items():
        if agency_id not in current:
            errors[f"under_discipline_{agency_id}"] = _(
                "This agency is not a current member this year."
            )
            continue
        row = saved.get(agency_id) or Eligibility(bloc_year=locked, agency=current[agency_id])
        before = {field: getattr(row, field) for field in ELIGIBILITY_FIELDS}
        unknown = set(values) - set(ELIGIBILITY_FIELDS)
        if unknown:
            raise TypeError(f"not an eligibility field: {', '.join(sorted(unknown))}")
        for field, value in values.items():
            setattr(row, field, value.strip() if isinstance(value, str) else value)
        if row.task_completion not in TaskCompletion.values:
            errors[f"task_completion_{agency_id}"] = _("Choose one of the levels.")
            continue
        changed = [f for f in ELIGIBILITY_FIELDS if getattr(row, f) != before[f]]
        if row.pk is None or changed:
            row.updated_by = actor
            to_save.append(row)
        for field in changed:
            old, new = before[field], getattr(row, field)
            if field == "task_completion":
                old, new = TaskCompletion(old).label, TaskCompletion(new).label
            changes.append(
                f"{current[agency_id].name} – {Eligibility._meta.get_field(field).verbose_name}: "
                f"{_shown(old)} → {_shown(new)}"
            )
    if errors:
        raise ValidationError(errors, code="invalid")
    for row in to_save:
        row.full_clean()
        row.save()
    if changes:
        core.record(locked, "eligibility_changed", actor=actor, note="; ".join(changes))
    return to_save
