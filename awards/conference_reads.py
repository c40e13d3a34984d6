"""What every conference page reads first: the year's conference record and its voting
rules, kept under the data version (:mod:`members.caching`).

Only pages read them this way (services read the rows they lock): the hub, the poll
pages, the results, the proposals and the handover start with these two rows, before
their permission checks, so a repeated read costs a cache get instead of a query and
its joins. The rest of the conference's reads are in :mod:`.selectors`.
"""

from django.core.exceptions import ObjectDoesNotExist

from blocs.models import BlocYear
from members import caching

from .models import Conference, VotingRules
from .rules import unsaved_rules

__all__ = ["conference_and_rules"]


def conference_and_rules(bloc_year, *, related=()) -> tuple[Conference | None, VotingRules]:
    """The year's conference record (or None) and its voting rules, in one query.

    Both hang one-to-one off the bloc-year, so the pages that need the two read them
    through one join instead of two queries (``related``: the conference's own
    relations to load with it). Reading never writes: without saved rules this is
    :func:`awards.rules.rules_preview`'s unsaved copy of the province's defaults (one
    more query), the rules the first service to need them will save.

    The cached copies are kept without the page's bloc-year, and given it on the way out.
    """
    conference, rules = caching.remember(
        "awards.conference_and_rules",
        (bloc_year.pk, tuple(related)),
        lambda: _read_conference_and_rules(bloc_year, related),
    )
    # The page's bloc-year (members prefetched) rather than the bare row read here.
    for row in (conference, rules):
        if row is not None:
            row.bloc_year = bloc_year
    return conference, rules


def _read_conference_and_rules(bloc_year, related) -> tuple[Conference | None, VotingRules]:
    query = BlocYear.objects.select_related(
        "conference", "voting_rules", *(f"conference__{name}" for name in related)
    )
    if "confirmed_by" in related:
        # The cache keeps the officer's name, never a password hash.
        query = query.defer("conference__confirmed_by__password")
    found = query.get(pk=bloc_year.pk)
    # The unsaved rules' province is read through the bloc: the page's, already loaded.
    found.bloc = bloc_year.bloc
    conference = _related_or_none(found, "conference")
    rules = _related_or_none(found, "voting_rules") or unsaved_rules(found)
    for row in (conference, rules):
        if row is not None:
            # Kept without the bare bloc-year (the caller sets the page's): a smaller
            # entry, and no cycle between the rows for the garbage collector to break
            # on every read of the cache.
            row._state.fields_cache.pop("bloc_year", None)
    return conference, rules


def _related_or_none(instance, name):
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None
