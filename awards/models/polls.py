"""Polls and the secret ballot, secret by construction.

A poll (flag, certificates, next chair, next vice-chair; round 1, 2, …)
keeps two things apart:

- :class:`BallotParticipation`: *that* an agency has voted in a poll — one
  row per agency and poll (a unique constraint), with a random UUID key, no
  user, no timestamp and no ordering, so the rows cannot be lined up with the
  order of votes;
- :class:`PollCandidate.votes`: anonymous per-candidate counters, increased
  in place under a row lock, plus the poll's own ballot counters.

There is no per-ballot row at all: nothing in the database, the logs or the
history can tie a voter to a choice. Paper polls store the counting
committee's counts in the same counters.

A poll takes a snapshot of the threshold it applies when it opens (the
``threshold_*`` fields): its outcome names that rule even if the year's
rules change later (they freeze when voting opens anyway).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear
from members.audit import history
from members.models import Agency

from .rules import ThresholdBase

__all__ = [
    "POLL_ORDER",
    "POLL_TRANSITIONS",
    "BallotParticipation",
    "Poll",
    "PollCandidate",
    "PollKind",
    "PollMode",
    "PollStatus",
]


class PollKind(models.TextChoices):
    FLAG = "flag", _("Emulation flag of the provincial People's Committee")
    CERTIFICATE = "certificate", _("Certificates of merit of the provincial chairman")
    CHAIR = "chair", _("Next year's chair")
    VICE_CHAIR = "vice_chair", _("Next year's vice-chair")


#: The order of business (domain §4.3, rule 23).
POLL_ORDER = (PollKind.FLAG, PollKind.CERTIFICATE, PollKind.CHAIR, PollKind.VICE_CHAIR)


class PollMode(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic secret ballot")
    PAPER = "paper", _("Paper ballots counted by the committee")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


#: The poll's moves, declared once: name -> (sources, target).
POLL_TRANSITIONS = {
    "open": ((PollStatus.DRAFT,), PollStatus.OPEN),
    "close": ((PollStatus.OPEN,), PollStatus.CLOSED),
}


class Poll(models.Model):
    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.CASCADE, related_name="polls", verbose_name=_("bloc year")
    )
    kind = models.CharField(_("poll"), max_length=12, choices=PollKind)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    mode = models.CharField(
        _("ballot"), max_length=10, choices=PollMode, default=PollMode.ELECTRONIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PollStatus, default=PollStatus.DRAFT
    )
    seats = models.PositiveSmallIntegerField(_("places to fill"), default=1)
    threshold_numerator = models.PositiveSmallIntegerField(_("threshold: numerator"))
    threshold_denominator = models.PositiveSmallIntegerField(_("threshold: denominator"))
    threshold_strict = models.BooleanField(_("threshold: more than"))
    threshold_base = models.CharField(
        _("threshold: counted on"), max_length=10, choices=ThresholdBase
    )
    #: Agencies present when the poll opened (quorum and the "present" base).
    present = models.PositiveSmallIntegerField(_("members present"), default=0)
    members = models.PositiveSmallIntegerField(_("members entitled to vote"), default=0)
    # Ballot counters: electronic polls count as they go, paper polls are entered.
    ballots_issued = models.PositiveSmallIntegerField(_("ballots issued"), default=0)
    ballots_returned = models.PositiveSmallIntegerField(_("ballots returned"), default=0)
    #: Returned (in the box) but invalid.
    ballots_invalid = models.PositiveSmallIntegerField(_("invalid ballots"), default=0)
    #: Spoiled while voting and replaced, so never cast: issued = returned + spoiled.
    ballots_spoiled = models.PositiveSmallIntegerField(
        _("spoiled ballots (replaced, not cast)"), default=0
    )
    #: The tally's outcome once closed: elected ids, next-round ids, texts, warnings.
    outcome = models.JSONField(_("outcome"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    history = history(excluded_fields=["ballots_returned"])

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["bloc_year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "kind", "round"],
                name="awards_poll_one_per_kind_and_round",
                violation_error_message=_("This poll already has this round."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PollKind.values)
                & Q(mode__in=PollMode.values)
                & Q(status__in=PollStatus.values)
                & Q(threshold_base__in=ThresholdBase.values),
                name="awards_poll_choices_valid",
            ),
            models.CheckConstraint(
                condition=Q(threshold_denominator__gt=0)
                & Q(threshold_numerator__lte=F("threshold_denominator"))
                & Q(round__gte=1),
                name="awards_poll_threshold_valid",
            ),
            models.CheckConstraint(
                # Returned ballots are at most those issued; spoiled at most those returned.
                condition=Q(ballots_returned__lte=F("ballots_issued"))
                & Q(ballots_spoiled__lte=F("ballots_issued"))
                & Q(ballots_invalid__lte=F("ballots_returned")),
                name="awards_poll_ballot_counts_consistent",
                violation_error_message=_(
                    "Returned or spoiled ballots cannot exceed those issued, nor invalid ones "
                    "those returned."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(opened_at__isnull=False),
                name="awards_poll_open_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.bloc_year} ({self.round})"

    @property
    def is_open(self) -> bool:
        return self.status == PollStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == PollStatus.CLOSED

    @property
    def ballots_valid(self) -> int:
        return self.ballots_returned - self.ballots_invalid


class PollCandidate(models.Model):
    """A candidate and its anonymous counter; score and rank as when the poll opened."""

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("poll")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=9, decimal_places=2, null=True, blank=True)
    votes = models.PositiveSmallIntegerField(_("votes"), default=0)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = [F("rank").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "agency"], name="awards_pollcandidate_once_per_poll"
            ),
        ]

    def __str__(self):
        return f"{self.agency} ({self.votes})"


class BallotParticipation(models.Model):
    """That ``agency`` has voted in ``poll`` — and nothing else (see module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="participations", verbose_name=_("poll")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "agency"],
                name="awards_ballotparticipation_once_per_agency",
                violation_error_message=_("This agency has already voted in this poll."),
            ),
        ]

    def __str__(self):
        return f"{self.agency} – {self.poll}"
