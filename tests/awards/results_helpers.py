"""Helpers for the conference-results tests: the secretariat, the pages' URLs,
and next year's chair and vice-chair elected by closed polls."""

from django.urls import reverse

from blocs.models import MemberRole
from tests.awards.factories_polls import closed_poll, members_in_rank_order
from tests.covenants.factories_score import officer_of

__all__ = ["elect_officers", "officers_of", "results_url", "secretariat_of"]


def secretariat_of(bloc_year):
    return officer_of(bloc_year.chair)


def results_url(bloc_year, name="results"):
    return reverse(f"awards:{name}", args=[bloc_year.bloc_id, bloc_year.year])


def officers_of(bloc_year):
    chair = bloc_year.memberships.get(role=MemberRole.CHAIR).agency
    vice = bloc_year.memberships.get(role=MemberRole.VICE_CHAIR).agency
    return chair, vice


def elect_officers(bloc_year, *, chair_fallback="score_ranking"):
    """Chair: the vice-chair; vice-chair: the best ranked other member."""
    ranked = members_in_rank_order(bloc_year)
    chair, vice = officers_of(bloc_year)
    n = len(ranked)
    closed_poll(bloc_year, "chair", {a: (n if a == vice else 0) for a in ranked if a != chair})
    other = next(a for a in ranked if a not in (chair, vice))
    closed_poll(bloc_year, "vice_chair", {a: (n if a == other else 0) for a in ranked if a != vice})
    return vice, other
