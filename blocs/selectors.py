"""Page reads for blocs: each returns everything a page needs in a fixed
number of queries, whatever the number of members, years or changes."""

from dataclasses import dataclass
from functools import cache

from django.db.models import F, Max, Prefetch
from django.db.models.functions import Collate
from django.shortcuts import get_object_or_404
from django.utils.functional import SimpleLazyObject

from members import caching
from members.collation import COLLATION_NAME, sort_key
from members.models import Agency, Province

from .links import link_maker
from .models import Bloc, BlocYear, MemberRole, Membership, SecretariatDelegation, StageChange
from .stages import STAGE_ORDER, Stage, Transition, guards_for, transitions_from

_ROLE_ORDER = {MemberRole.CHAIR: 0, MemberRole.VICE_CHAIR: 1, MemberRole.MEMBER: 2}


def _memberships_alphabetical():
    return Membership.objects.select_related("agency").order_by(
        Collate("agency__name", COLLATION_NAME), "pk"
    )


#: What the overview shows of a delegation and what ``permissions.is_secretariat`` reads:
#: three users and an agency in full were most of the query's cost, even with no rows.
_DELEGATION_FIELDS = (
    "bloc_year_id",
    "user_id",
    "granted_at",
    "revoked_at",
    "user__full_name",
    "user__username",
    "user__agency__short_name",
    "granted_by__full_name",
    "granted_by__username",
    "revoked_by__full_name",
    "revoked_by__username",
)


def province_by_code(code: str) -> Province:
    """The URL's province (404 if none), kept under the data version
    (:mod:`members.caching`): the dashboard and every board page start with it."""
    return caching.remember(
        "blocs.province_by_code", (code,), lambda: get_object_or_404(Province, code=code)
    )


def bloc_year_detail(*, bloc_id: int, year: int) -> BlocYear:
    """The bloc-year with its bloc and members: what every bloc-year page and its
    permission checks read, in one query. The stage history is the overview's alone
    (:func:`stage_history`). The delegations are read on first use, once: the chair's
    own staff and the board, who open most pages, never need them. The bloc-year and its
    members are kept under the data version (:mod:`members.caching`): every page of the
    year starts with them; so are the delegations once read (a delegate's permission
    checks and the overview's list, which stays outside the overview's cached fragments
    for its CSRF-protected revoke buttons)."""
    bloc_year = caching.remember(
        "bloc_year_detail", (bloc_id, year), lambda: _with_members(bloc_id, year)
    )
    history = SimpleLazyObject(
        lambda: caching.remember(
            "bloc_year_delegations", (bloc_year.pk,), lambda: _delegations(bloc_year)
        )
    )
    bloc_year.delegation_history = history
    # permissions.is_secretariat reads this instead of querying each time.
    bloc_year.active_delegations = SimpleLazyObject(
        lambda: [d for d in history if d.revoked_at is None]
    )
    return bloc_year


def _delegations(bloc_year: BlocYear) -> list[SecretariatDelegation]:
    return list(
        SecretariatDelegation.objects.filter(bloc_year=bloc_year)
        .select_related("user__agency", "granted_by", "revoked_by")
        .only(*_DELEGATION_FIELDS)
        .order_by("-granted_at")
    )


#: The bloc-year, its bloc and its province, as columns of each member's row: aliases
#: (annotation name → model, field's attname) to rebuild the three from the first row.
_YEAR_COLUMNS = {
    f"{alias}{field.attname}": (model, field.attname, F(f"{path}{field.name}"))
    for alias, model, path in (
        ("_year_", BlocYear, "bloc_year__"),
        ("_bloc_", Bloc, "bloc_year__bloc__"),
        ("_province_", Province, "bloc_year__bloc__province__"),
    )
    for field in model._meta.concrete_fields
}


@cache
def _members_with_year():
    """The query of :func:`_with_members` but its filter, built once per process:
    resolving twenty annotations' joins cost as much as the query it saves."""
    return _memberships_alphabetical().annotate(
        **{alias: expression for alias, (_m, _f, expression) in _YEAR_COLUMNS.items()}
    )


def _with_members(bloc_id: int, year: int) -> BlocYear:
    """The bloc-year (404 if none) with its bloc, its province and
    ``memberships.all()`` filled as ``prefetch_related`` fills it, in one query: the
    members with their agencies, each row carrying the bloc-year's columns, the first
    row's rebuilt into the bloc-year once (issue 9: the second query of every
    bloc-year page cost more than the fifteen copies of a few columns; ``select_related``
    would have built a bloc-year, a bloc and a province per member). A year without
    members, a bloc being set up, takes a second query for the bloc-year."""
    members = list(_members_with_year().filter(bloc_year__bloc_id=bloc_id, bloc_year__year=year))
    if not members:
        bloc_year = get_object_or_404(
            BlocYear.objects.select_related("bloc__province"), bloc_id=bloc_id, year=year
        )
    else:
        first, values = members[0], {BlocYear: {}, Bloc: {}, Province: {}}
        for alias, (model, attname, _expression) in _YEAR_COLUMNS.items():
            values[model][attname] = getattr(first, alias)
        db = first._state.db
        bloc_year, bloc, province = (
            model.from_db(db, list(values[model]), list(values[model].values()))
            for model in (BlocYear, Bloc, Province)
        )
        Bloc.province.field.set_cached_value(bloc, province)
        BlocYear.bloc.field.set_cached_value(bloc_year, bloc)
    # Every member points to the one bloc-year, as a prefetch leaves them.
    cache_bloc_year = Membership.bloc_year.field.set_cached_value
    for membership in members:
        cache_bloc_year(membership, bloc_year)
    queryset = bloc_year.memberships.all()
    queryset._result_cache = members
    queryset._prefetch_done = True
    bloc_year._prefetched_objects_cache = {"memberships": queryset}
    return bloc_year


def stage_history(bloc_year: BlocYear) -> list[StageChange]:
    """The year's moves with who made them, newest first (the overview's table: it
    shows the actor's name only, so the actor's agency is not joined)."""
    return list(bloc_year.stage_changes.select_related("actor"))


def members_by_role(bloc_year: BlocYear) -> list[Membership]:
    """Chair first, then vice-chair, then members in Vietnamese order."""
    memberships = list(bloc_year.memberships.all())
    return sorted(memberships, key=lambda m: (_ROLE_ORDER[m.role], m.left_on is not None))


def member_rows(bloc_year: BlocYear, *, with_edit_links: bool) -> list[Membership]:
    """:func:`members_by_role`, each with the URLs of its links (``agency_url`` and, for
    those who may edit, ``update_url`` and ``remove_url``), made by :mod:`..links`
    rather than by a ``{% url %}`` per row."""
    agency_url = link_maker("blocs:agency")
    if with_edit_links:
        update_url = link_maker("blocs:membership_update", bloc_year.bloc_id, bloc_year.year)
        remove_url = link_maker("blocs:membership_remove", bloc_year.bloc_id, bloc_year.year)
    rows = members_by_role(bloc_year)
    for membership in rows:
        membership.agency_url = agency_url(membership.agency_id)
        if with_edit_links:
            membership.update_url = update_url(membership.pk)
            membership.remove_url = remove_url(membership.pk)
    return rows


def transition_blockers(bloc_year: BlocYear, transition: Transition) -> list[str]:
    """Every reason the transition cannot happen now, in words for the user."""
    return [str(reason) for guard in guards_for(transition) for reason in guard(bloc_year)]


@dataclass(frozen=True)
class Step:
    stage: Stage
    state: str  # "done", "current" or "upcoming"

    @property
    def label(self):
        return self.stage.label


def stepper(bloc_year: BlocYear) -> list[Step]:
    current = bloc_year.stage_index
    return [
        Step(stage, "done" if index < current else "current" if index == current else "upcoming")
        for index, stage in enumerate(STAGE_ORDER)
    ]


@dataclass(frozen=True)
class TransitionOption:
    transition: Transition
    blockers: list[str]
    allowed: bool  # the user has the right to perform it


def transition_options(bloc_year: BlocYear, *, user, can_perform) -> list[TransitionOption]:
    """The transitions out of the current stage, with blockers and the user's right."""
    return [
        TransitionOption(t, transition_blockers(bloc_year, t), can_perform(user, bloc_year, t))
        for t in transitions_from(bloc_year.stage)
    ]


@dataclass(frozen=True)
class DashboardRow:
    bloc: Bloc
    cells: list[BlocYear | None]


def province_dashboard(*, province) -> tuple[list[int], list[DashboardRow]]:
    """Blocs × years with each bloc-year's stage and chair, newest year first."""
    # Ordered by number alone: the model's ordering starts with the province's name,
    # a join that orders nothing within one province.
    blocs = list(
        Bloc.objects.filter(province=province)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "years",
                queryset=BlocYear.objects.prefetch_related(
                    Prefetch(
                        "memberships",
                        queryset=Membership.objects.filter(
                            role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR]
                        ).select_related("agency"),
                    )
                ),
            )
        )
    )
    years = sorted({by.year for bloc in blocs for by in bloc.years.all()}, reverse=True)
    rows = []
    for bloc in blocs:
        by_year = {by.year: by for by in bloc.years.all()}
        rows.append(DashboardRow(bloc, [by_year.get(year) for year in years]))
    return years, rows


@dataclass(frozen=True)
class ChairTerm:
    year: int
    bloc_year: BlocYear
    chair: Agency | None
    vice_chair: Agency | None


def chair_register(*, bloc: Bloc) -> list[ChairTerm]:
    """Who chaired the bloc each year: the rotation across years."""
    years = BlocYear.objects.filter(bloc=bloc).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(
                role__in=[MemberRole.CHAIR, MemberRole.VICE_CHAIR]
            ).select_related("agency"),
        )
    )
    return [ChairTerm(by.year, by, by.chair, by.vice_chair) for by in years.order_by("-year")]


def agency_memberships(*, agency: Agency) -> list[Membership]:
    """The agency's blocs, year by year, newest first."""
    return list(
        Membership.objects.filter(agency=agency)
        .select_related("bloc_year__bloc")
        .order_by("-bloc_year__year", "bloc_year__bloc__number")
    )


_ROLE_RANK = {"leader": 0, "deputy": 1, "officer": 2, "staff": 3}


def agency_people(*, agency: Agency, include_inactive: bool) -> list:
    """The agency's people, leaders first, with their last invitation date."""
    people = agency.users.annotate(last_invited=Max("invitations__sent_at"))
    if not include_inactive:
        people = people.filter(is_active=True)
    return sorted(
        people,
        key=lambda u: (not u.is_active, _ROLE_RANK.get(u.agency_role, 9), sort_key(u.full_name)),
    )


def bloc_year_member_count(bloc_year: BlocYear) -> int:
    return sum(1 for m in bloc_year.memberships.all() if m.left_on is None)
