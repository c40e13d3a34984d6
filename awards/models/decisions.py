"""The province's answer to each award proposal.

The board of the province records, per proposal, whether the Chairman of
the provincial People's Committee approved it, under which decision
(number and date), or why not. It is kept apart from
:class:`~awards.models.AwardProposal` because the proposal is the bloc's
record (frozen once the year closes) while the decision is the board's, and
may arrive or be corrected after the bloc's year is closed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.audit import history

from .outcomes import AwardProposal

__all__ = ["DecisionOutcome", "ProposalDecision"]


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    NOT_APPROVED = "not_approved", _("Not approved")


class ProposalDecision(models.Model):
    """The board's decision on one proposal; re-recording it overwrites these
    fields and the conference trail keeps what it was before."""

    proposal = models.OneToOneField(
        AwardProposal,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("proposal"),
    )
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome)
    #: Why not approved: the bloc and the unit read it.
    reason = models.TextField(_("reason"), blank=True)
    #: The decision's number and symbol, e.g. "1234/QĐ-UBND".
    number = models.CharField(_("decision number"), max_length=50, blank=True)
    decided_on = models.DateField(_("decision date"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    decided_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    history = history()

    class Meta:
        verbose_name = _("decision on a proposal")
        verbose_name_plural = _("decisions on proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=DecisionOutcome.values),
                name="awards_proposaldecision_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="approved") | ~Q(reason=""),
                name="awards_proposaldecision_refusal_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("Give the reason why the proposal is not approved."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approved") | ~Q(number=""),
                name="awards_proposaldecision_approval_has_number",
                violation_error_code="number_required",
                violation_error_message=_("Give the number of the decision that approves it."),
            ),
        ]

    def __str__(self):
        return f"{self.proposal}: {self.get_outcome_display()}"

    @property
    def approved(self) -> bool:
        return self.outcome == DecisionOutcome.APPROVED
