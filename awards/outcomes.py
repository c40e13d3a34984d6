"""What the conference decided, written down: the results confirmed into
award proposals and next year's officers, and the rotating flag's handover.

Confirmation is one service: it reads the closed polls through
:mod:`awards.results`, refuses (naming what is missing) until every poll is
settled, and writes the proposals in one go, so the proposals, the minutes
and the submission always agree.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from blocs.permissions import is_board_for, is_member_user
from blocs.stages import Stage
from members import audit
from members.permissions import is_site_admin

from . import core
from .models import (
    POLL_ORDER,
    AwardKind,
    AwardProposal,
    Conference,
    ConferenceStatus,
    FlagHandover,
    PollKind,
)
from .permissions import is_secretariat
from .results import (
    KIND_NOUNS,
    OFFICER_KINDS,
    SMALL_POLL,
    Elected,
    KindResults,
    needs_reason,
    results_by_kind,
)

__all__ = [
    "SMALL_POLL",
    "can_confirm_results",
    "can_record_handover",
    "can_view_proposals",
    "handover_record",
    "proposals_for_page",
    "results_by_kind",
    "results_confirm",
]

AWARD_OF_KIND = {PollKind.FLAG: AwardKind.FLAG, PollKind.CERTIFICATE: AwardKind.CERTIFICATE}


# Who may ------------------------------------------------------------------------------


def can_confirm_results(user, bloc_year, conference: Conference | None) -> bool:
    return (
        not bloc_year.is_read_only
        and bloc_year.stage == Stage.CONFERENCE
        and is_secretariat(user, bloc_year)
        and (conference is None or conference.status != ConferenceStatus.CONFIRMED)
    )


def can_view_proposals(user, bloc_year, conference: Conference | None) -> bool:
    """The board of the province and the secretariat always; the members
    once the results are confirmed."""
    if is_board_for(user, bloc_year.bloc.province_id) or is_secretariat(user, bloc_year):
        return True
    confirmed = conference is not None and conference.status == ConferenceStatus.CONFIRMED
    return confirmed and (is_member_user(user, bloc_year) or is_site_admin(user))


def can_record_handover(user, bloc_year, conference: Conference | None) -> bool:
    return (
        not bloc_year.is_read_only
        and bloc_year.stage in (Stage.CONFERENCE, Stage.SUBMITTED)
        and conference is not None
        and conference.status == ConferenceStatus.CONFIRMED
        and (is_secretariat(user, bloc_year) or is_board_for(user, bloc_year.bloc.province_id))
    )


# Confirming ---------------------------------------------------------------------------


def _decided(summary: KindResults, picked: list[int]) -> list[Elected]:
    """The kind's elected units once the chair and vice-chair's ``picked``
    are added; errors keyed ``decision_<kind>``."""
    key = f"decision_{summary.kind}"
    if not summary.choices:
        return list(summary.elected)
    picked = list(dict.fromkeys(picked or []))
    choices = {entry.agency_id: entry for entry in summary.choices}
    if any(agency_id not in choices for agency_id in picked):
        raise ValidationError({key: _("Choose among the units the last round left open.")})
    if len(picked) > summary.seats_left:
        raise ValidationError(
            {
                key: _("Choose at most %(seats)s (the places still open).")
                % {"seats": summary.seats_left}
            }
        )
    if summary.is_officer and not summary.elected and not picked:
        raise ValidationError(
            {
                key: _("Say whom the chair and vice-chair chose as %(poll)s.")
                % {"poll": summary.noun}
            }
        )
    return [*summary.elected, *(choices[agency_id] for agency_id in picked)]


def _rule_text(entry: Elected) -> str:
    if entry.by_decision:
        return _("%(result)s; chosen by the chair and vice-chair after round %(round)s") % {
            "result": entry.result["text"],
            "round": entry.poll.round,
        }
    return entry.result["text"]


def _proposal(bloc_year, kind, entry: Elected, order: int, reason: str) -> AwardProposal:
    decided_by_votes = not (entry.by_fallback or entry.by_decision)
    candidate = entry.candidate
    return AwardProposal(
        bloc_year=bloc_year,
        agency_id=entry.agency_id,
        award=AWARD_OF_KIND[kind],
        poll=entry.poll if decided_by_votes else None,
        votes=entry.result["votes"],
        base_count=entry.base_count,
        percent=Decimal(entry.result["percent"]),
        score=candidate.score if candidate else None,
        rank=candidate.rank if candidate else None,
        rule_text=_rule_text(entry),
        reason=reason,
        order=order,
    )


def _lock_conference(bloc_year) -> Conference:
    conference = Conference.objects.select_for_update().filter(bloc_year=bloc_year).first()
    if conference is None:
        raise ValidationError(_("The conference has not been recorded yet."), code="no_conference")
    return conference


@audit.service
@transaction.atomic
def results_confirm(*, bloc_year, actor, reasons: dict, decisions: dict) -> Conference:
    """Turn the closed polls into proposals and next year's officers.

    ``reasons``: agency id → why (required for a flag nominee not ranked
    first); ``decisions``: kind → agency ids the chair and vice-chair chose
    where the last round left it to them."""
    locked = core.lock_year(bloc_year)
    if not is_secretariat(actor, locked):
        raise PermissionDenied(_("Only the secretariat confirms the results."))
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if locked.stage != Stage.CONFERENCE:
        raise ValidationError(
            _("Results are confirmed at the conference stage; the year is at “%(stage)s”.")
            % {"stage": Stage(locked.stage).label},
            code="wrong_stage",
        )
    conference = _lock_conference(locked)
    if conference.status == ConferenceStatus.CONFIRMED:
        raise ValidationError(_("The results are already confirmed."), code="confirmed")
    if AwardProposal.objects.filter(bloc_year=locked).exists():
        raise ValidationError(_("This year already has proposals."), code="proposals_exist")
    rules = core.rules_for(locked)
    summaries = results_by_kind(locked, rules=rules)
    if problems := [problem for summary in summaries for problem in summary.problems]:
        raise ValidationError(problems, code="unsettled")
    reasons = {int(k): (v or "").strip() for k, v in (reasons or {}).items()}
    errors, chosen = {}, {}
    for summary in summaries:
        try:
            chosen[summary.kind] = _decided(summary, (decisions or {}).get(summary.kind, []))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for entry in chosen.get(PollKind.FLAG, []):
        if needs_reason(entry, rules) and not reasons.get(entry.agency_id):
            errors[f"reason_{entry.agency_id}"] = _(
                "%(name)s is not ranked first by score: give the reason for proposing it."
            ) % {"name": entry.name}
    if errors:
        raise ValidationError(errors, code="invalid")
    flag_ids = {e.agency_id for e in chosen.get(PollKind.FLAG, [])}
    if twice := [e.name for e in chosen.get(PollKind.CERTIFICATE, []) if e.agency_id in flag_ids]:
        raise ValidationError(
            _("One award per unit and year: %(names)s cannot have both the flag and a certificate.")
            % {"names": ", ".join(twice)},
            code="twice",
        )
    for kind in OFFICER_KINDS:
        if len(chosen[kind]) != 1:
            raise ValidationError(
                _("The %(poll)s poll must elect exactly one unit.") % {"poll": KIND_NOUNS[kind]},
                code="officers",
            )
    proposals = [
        _proposal(locked, kind, entry, order, reasons.get(entry.agency_id, ""))
        for kind in AWARD_OF_KIND
        for order, entry in enumerate(chosen.get(kind, []), start=1)
    ]
    for proposal in proposals:
        proposal.full_clean()
    bulk_create_with_history(proposals, AwardProposal)
    chair, vice = chosen[PollKind.CHAIR][0], chosen[PollKind.VICE_CHAIR][0]
    conference.next_chair_id, conference.next_vice_chair_id = chair.agency_id, vice.agency_id
    conference.status = ConferenceStatus.CONFIRMED
    conference.confirmed_at = timezone.now()
    conference.confirmed_by = actor
    conference.full_clean()
    conference.save()
    core.record(locked, "results_confirmed", actor=actor, note=_summary_note(chosen))
    return conference


def _summary_note(chosen: dict) -> str:
    def names(kind):
        return ", ".join(entry.name for entry in chosen.get(kind, [])) or "—"

    return "; ".join(
        f"{PollKind(kind).label}: {names(kind)}" for kind in POLL_ORDER if kind in chosen
    )


# Proposals ----------------------------------------------------------------------------


def proposals_for_page(bloc_year) -> list[AwardProposal]:
    """The year's proposals, flag first, with agency, poll and report status."""
    return list(
        AwardProposal.objects.filter(bloc_year=bloc_year)
        .select_related("agency", "poll", "achievement_report")
        .order_by(Case(When(award=AwardKind.FLAG, then=0), default=1), "order", "pk")
    )


# Handover -----------------------------------------------------------------------------


@audit.service
@transaction.atomic
def handover_record(*, bloc_year, actor, handed_on, note: str = "") -> FlagHandover:
    """The rotating flag passed from this year's chair to the elected next
    chair (domain §1.4); recorded again, the date and note are corrected."""
    locked = core.lock_year(bloc_year)
    if locked.is_read_only:
        raise ValidationError(
            _("The year %(year)s is closed: its records can no longer change.")
            % {"year": locked.year},
            code="read_only",
        )
    if not (is_secretariat(actor, locked) or is_board_for(actor, locked.bloc.province_id)):
        raise PermissionDenied(_("Only the secretariat or the board records the handover."))
    conference = Conference.objects.filter(bloc_year=locked).select_related("next_chair").first()
    if conference is None or conference.status != ConferenceStatus.CONFIRMED:
        raise ValidationError(
            _("The handover is recorded once the conference results are confirmed."),
            code="not_confirmed",
        )
    if conference.next_chair is None:
        raise ValidationError(_("Next year's chair has not been elected."), code="no_chair")
    outgoing = locked.chair
    if outgoing is None:
        raise ValidationError(_("This year has no chair to hand the flag over."), code="no_chair")
    if handed_on is None:
        raise ValidationError({"handed_on": _("Give the date of the handover.")})
    if handed_on > timezone.localdate():
        raise ValidationError({"handed_on": _("The handover date cannot be in the future.")})
    handover = FlagHandover.objects.select_for_update().filter(bloc_year=locked).first()
    action = "handover_corrected" if handover else "flag_handed_over"
    handover = handover or FlagHandover(bloc_year=locked, recorded_by=actor)
    handover.handed_on, handover.note = handed_on, (note or "").strip()
    handover.outgoing, handover.incoming = outgoing, conference.next_chair
    handover.recorded_by, handover.recorded_at = actor, timezone.now()
    handover.full_clean()
    handover.save()
    core.record(
        locked,
        action,
        actor=actor,
        note=f"{handed_on:%d/%m/%Y}: {outgoing.name} → {conference.next_chair.name}",
    )
    return handover
