"""Bloc-years at the year-end conference, for tests that start there.

Rows are written directly (like the scoring factories): the services are
tested on their own; here we only need the state they would have left.
"""

from django.utils import timezone

from awards.models import (
    AchievementReport,
    AwardKind,
    AwardProposal,
    Conference,
    ConferenceStatus,
    FlagHandover,
    ReportStatus,
)
from blocs.models import MemberRole
from blocs.stages import Stage
from tests.covenants.factories_score import complete_year_end, leader_of, scoring_year
from tests.members.factories import UserFactory

__all__ = ["complete_conference", "conference_year", "hand_over", "leaders_of"]


def conference_year(*, members: int = 5, **kwargs):
    """A bloc-year at the conference stage: year-end scores final and the
    ranking published (members get distinct totals: the first ranks first)."""
    bloc_year = scoring_year(members=members, **kwargs)
    complete_year_end(bloc_year)
    bloc_year.stage = Stage.CONFERENCE
    bloc_year.save(update_fields=["stage"])
    return bloc_year


def leaders_of(bloc_year, **kwargs) -> dict:
    """A leader per current member: agency id → user."""
    return {
        m.agency_id: leader_of(m.agency, **kwargs)
        for m in bloc_year.memberships.filter(left_on__isnull=True).select_related("agency")
    }


def complete_conference(bloc_year, *, by=None):
    """Results confirmed with a flag nominee (the top member) whose achievement
    report is checked, and next year's officers elected."""
    by = by or UserFactory()
    members = list(
        bloc_year.memberships.filter(left_on__isnull=True).select_related("agency").order_by("pk")
    )
    chair = next(m.agency for m in members if m.role == MemberRole.CHAIR)
    vice = next(m.agency for m in members if m.role == MemberRole.VICE_CHAIR)
    others = [m.agency for m in members if m.role == MemberRole.MEMBER]
    conference, _created = Conference.objects.update_or_create(
        bloc_year=bloc_year,
        defaults={
            "status": ConferenceStatus.CONFIRMED,
            "held_on": timezone.localdate(),
            "place": "Hội trường",
            "next_chair": vice,
            "next_vice_chair": others[0] if others else chair,
            "confirmed_at": timezone.now(),
            "confirmed_by": by,
        },
    )
    proposal, _created = AwardProposal.objects.get_or_create(
        bloc_year=bloc_year, agency=members[0].agency, defaults={"award": AwardKind.FLAG}
    )
    AchievementReport.objects.update_or_create(
        proposal=proposal,
        defaults={
            "status": ReportStatus.CHECKED,
            "signed_file": "achievements/x.pdf",
            "signed_name": "x.pdf",
            "checked_at": timezone.now(),
            "checked_by": by,
        },
    )
    return conference


def hand_over(bloc_year, *, by=None) -> FlagHandover:
    conference = Conference.objects.get(bloc_year=bloc_year)
    handover, _created = FlagHandover.objects.get_or_create(
        bloc_year=bloc_year,
        defaults={
            "handed_on": timezone.localdate(),
            "outgoing": bloc_year.chair,
            "incoming": conference.next_chair,
            "recorded_by": by or UserFactory(),
        },
    )
    return handover
