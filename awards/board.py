"""The provincial board's decisions on the blocs' award proposals.

One service, :func:`decision_record`, follows the app's recipe: lock the
bloc-year, check the board's right on the locked row, check the stage the
decision may be taken in (declared once below), validate, write, and leave
the before → after on the conference trail so a corrected decision never
hides what was recorded first.

A decision is the province's answer, not the bloc's record: the board may
still record or correct it once the bloc's year is closed (the decree
often arrives after the board has accepted the dossier and closed the
year); everything the bloc itself wrote stays read-only.

Reads (the inbox, the totals, the multi-year memory) are in
:mod:`awards.board_selectors`; the Excel exports in :mod:`awards.board_exports`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.stages import Stage
from members import audit
from members.permissions import is_board_for

from . import core
from .models import AwardProposal, DecisionOutcome, ProposalDecision

__all__ = ["DECISION_STAGES", "can_decide", "decision_record", "decision_summary"]

#: The bloc-year stages in which the board decides on proposals: once the
#: bloc has submitted them, and after the year is closed.
DECISION_STAGES = frozenset({Stage.SUBMITTED, Stage.CLOSED})


def can_decide(user, bloc_year) -> bool:
    """The board of the bloc's province (or a site admin), once submitted."""
    return bloc_year.stage in DECISION_STAGES and is_board_for(user, bloc_year.bloc.province_id)


def decision_summary(decision: ProposalDecision | None) -> str:
    """A decision in one line, as the trail keeps it ("—" for none)."""
    if decision is None:
        return "—"
    parts = [str(decision.get_outcome_display())]
    if decision.number:
        parts.append(decision.number)
    parts.append(f"{decision.decided_on:%d/%m/%Y}")
    if decision.reason:
        parts.append(decision.reason)
    return ", ".join(parts)


@audit.service
@transaction.atomic
def decision_record(
    *, proposal, actor, outcome, reason: str = "", number: str = "", decided_on
) -> ProposalDecision:
    """Record (or change) the board's decision on ``proposal``.

    Not approved needs a reason; approved needs the decision's number. Errors
    name the form fields (``outcome``, ``reason``, ``number``, ``decided_on``)."""
    locked = core.lock_year(proposal.bloc_year)
    if not is_board_for(actor, locked.bloc.province_id):
        raise PermissionDenied(_("Only the board of the province decides on its proposals."))
    if locked.stage not in DECISION_STAGES:
        raise ValidationError(
            _(
                "The board decides once the bloc has submitted its proposals; "
                "the year is at “%(stage)s”."
            )
            % {"stage": Stage(locked.stage).label},
            code="wrong_stage",
        )
    proposal = AwardProposal.objects.select_related("agency").get(pk=proposal.pk)
    if proposal.bloc_year_id != locked.pk:
        raise ValidationError(_("This proposal belongs to another year."), code="wrong_year")
    reason, number = (reason or "").strip(), (number or "").strip()
    errors = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose approved or not approved.")
    if outcome == DecisionOutcome.NOT_APPROVED and not reason:
        errors["reason"] = _("Give the reason why the proposal is not approved.")
    if outcome == DecisionOutcome.APPROVED and not number:
        errors["number"] = _("Give the number of the decision that approves it.")
    if decided_on is None:
        errors["decided_on"] = _("Give the date of the decision.")
    elif decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date cannot be in the future.")
    elif decided_on.year < locked.year:
        errors["decided_on"] = _("The decision cannot be dated before the year %(year)s.") % {
            "year": locked.year
        }
    if errors:
        raise ValidationError(errors, code="invalid")
    decision = ProposalDecision.objects.select_for_update().filter(proposal=proposal).first()
    before = decision_summary(decision)
    decision = decision or ProposalDecision(proposal=proposal)
    decision.outcome = outcome
    # A reason only explains a refusal: an approval keeps none.
    decision.reason = reason if outcome == DecisionOutcome.NOT_APPROVED else ""
    decision.number, decision.decided_on = number, decided_on
    decision.decided_by, decision.decided_at = actor, timezone.now()
    decision.full_clean()
    decision.save()
    core.record(
        locked,
        "decision_recorded",
        actor=actor,
        note=f"{proposal.agency.name} ({proposal.get_award_display()}): "
        f"{before} → {decision_summary(decision)}",
    )
    return decision
