"""Page reads for covenants, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Prefetch

from members import caching
from members.models import Agency

from .models import Covenant, CovenantEvent, Signature


def covenant_for_page(bloc_year) -> Covenant | None:
    """The year's covenant with what its page and PDF read. Its ``bloc_year`` is the
    caller's (loaded with its members by ``blocs.selectors.bloc_year_detail``), so the
    signature rows and the permission checks read those members instead of querying
    them, and their agencies, again."""
    covenant = (
        Covenant.objects.filter(bloc_year=bloc_year)
        .select_related("host_agency")
        .prefetch_related(
            "commitments",
            "attachments",
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("agency", "recorded_by"),
            ),
            Prefetch("events", queryset=CovenantEvent.objects.select_related("actor")),
        )
        .first()
    )
    if covenant is not None:
        covenant.bloc_year = bloc_year
    return covenant


def cached_covenant_for_page(bloc_year) -> Covenant | None:
    """:func:`covenant_for_page` kept under the data version (:mod:`members.caching`): the
    covenant page reads it on every request for its permission checks, before its cached
    body (issue 9). Kept in a tuple, so that a year without a covenant is remembered too,
    and without the caller's bloc-year (its lazy delegations would be read and pickled
    with it): each request's copy gets the caller's."""
    (covenant,) = caching.remember(
        "covenants.covenant_for_page",
        (bloc_year.pk,),
        lambda: (_without_bloc_year(covenant_for_page(bloc_year)),),
    )
    if covenant is not None:
        covenant.bloc_year = bloc_year
    return covenant


def _without_bloc_year(covenant: Covenant | None) -> Covenant | None:
    if covenant is not None:
        Covenant._meta.get_field("bloc_year").delete_cached_value(covenant)
    return covenant


@dataclass(frozen=True)
class SignatureRow:
    agency: Agency
    signature: Signature | None
    voided: list


def signature_rows(covenant: Covenant, bloc_year) -> list[SignatureRow]:
    """Each member with its valid signature (if any) and voided ones; members
    that left during the year appear only if they had signed."""
    signatures = list(covenant.signatures.all()) if covenant else []
    rows = []
    for membership in bloc_year.memberships.all():
        mine = [s for s in signatures if s.agency_id == membership.agency_id]
        if membership.left_on is not None and not mine:
            continue  # left during the year without having signed: not expected to
        rows.append(
            SignatureRow(
                agency=membership.agency,
                signature=next((s for s in mine if s.voided_at is None), None),
                voided=[s for s in mine if s.voided_at is not None],
            )
        )
    return rows


def group_commitments(covenant: Covenant) -> list[tuple[str, list]]:
    """Commitments under their group headings, in order."""
    groups: list[tuple[str, list]] = []
    for commitment in covenant.commitments.all():
        if not groups or groups[-1][0] != commitment.group:
            groups.append((commitment.group, []))
        groups[-1][1].append(commitment)
    return groups
