"""Field-level audit history: what is audited, who acted, who may read it.

Every domain model of ``members``, ``blocs``, ``covenants`` and ``awards``
declares ``history = history()`` (django-simple-history): each save or delete
writes a historical row with every field's value, the date and the acting
user. This module is the one place that says

- how the acting user is found (:func:`acting_user`): the person a service
  acts for (:func:`service`, :func:`acting`), else the request's user (the
  middleware ``simple_history.middleware.HistoryRequestMiddleware``), else
  nobody (a command or a migration);
- which models are *not* audited and why (:data:`NOT_AUDITED`): the secret
  ballot, whose rows must never be tied to a voter or a moment, and the
  trails that are already append-only history;
- where each audited model's history belongs (:data:`SCOPES`): the bloc-year
  (its secretariat and its province's board read it) or the province (its
  board); and which parts a page shows with their whole (:data:`PARTS`).

``members`` is the bottom app: upper apps are named here by label only, and
they plug in what only they know (the secretariat of a bloc-year, the blind
review's hidden columns) with :func:`register_scope_check` and
:func:`register_hidden_fields`. The history page reads through
:mod:`members.history`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .permissions import is_active_user, is_board_for

__all__ = [
    "ALL_FIELDS",
    "NOT_AUDITED",
    "PARTS",
    "SCOPES",
    "acting",
    "acting_user",
    "audited_models",
    "can_view_history",
    "hidden_fields",
    "historical_model",
    "history",
    "history_url",
    "is_audited",
    "load_scope",
    "register_hidden_fields",
    "register_scope_check",
    "scope_of",
    "scoped_queryset",
    "service",
    "update_quietly",
]

# Who acts --------------------------------------------------------------------------------

_actor: ContextVar = ContextVar("audit_actor", default=None)


@contextmanager
def acting(actor):
    """Record the writes inside the block as done by ``actor``.

    For commands, background tasks, the demo and any service called outside a
    request. ``None`` or an anonymous user changes nothing (the enclosing actor,
    or the request's user, still applies).
    """
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk is None:
        yield
        return
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def acting_user(request=None, **kwargs):
    """simple_history's ``get_user``: the declared actor, else the request's user."""
    actor = _actor.get()
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def service(function: Callable) -> Callable:
    """Mark a service that acts for its ``actor`` keyword argument: the history
    rows its writes produce name that person, inside a request or not.

    ``tests/test_audit.py`` fails on a service with an ``actor`` that lacks it.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with acting(kwargs.get("actor")):
            return function(*args, **kwargs)

    wrapper.audited_service = True
    return wrapper


# What is audited -------------------------------------------------------------------------


class AuditedRecords(HistoricalRecords):
    """HistoricalRecords that skip a save touching only unaudited fields
    (a login writes ``last_login`` alone: no version for that)."""

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        # A model outside the app's ``models`` module (``awards/models/polls.py``) gets
        # its historical model named after the app ("awards.HistoricalPoll") but set
        # on its own module only: make the name importable (``manage.py shell``).
        if sender is self.cls and is_audited(sender):
            model = historical_model(sender)
            setattr(importlib.import_module(model.__module__), model.__name__, model)


def history(**options) -> HistoricalRecords:
    """The ``history`` manager every audited model declares (options as
    simple_history's, e.g. ``excluded_fields``)."""
    return AuditedRecords(get_user=acting_user, **options)


#: Models of the four apps that have no history, each with the reason. A new
#: model is either audited or listed here (tests/test_audit.py).
NOT_AUDITED = {
    "awards.ballotparticipation": "secret ballot: a dated version with the voter as its user "
    "would tie a voter to the moment of a vote",
    "awards.pollcandidate": "secret ballot: its anonymous counters change with each vote",
    "awards.conferenceevent": "the conference trail itself: append-only, with who and when",
    "awards.provincedossier": "a background job's progress on a rebuildable ZIP; the row "
    "keeps who asked and when it started and finished",
    "blocs.stagechange": "the stage trail itself: append-only, with who and when",
    "blocs.deadlinechange": "the calendar trail itself: append-only, with who and when",
    "blocs.reminderlog": "append-only log of the reminders mailed",
    "covenants.covenantevent": "the covenant trail itself: append-only, with who and when",
    "covenants.scoreevent": "the score sheet trail itself: append-only, with who and when",
    "covenants.scoringyearevent": "the scoring year's trail itself: append-only",
    "members.invitation": "append-only: one row per invitation mailed, with who sent it",
    "members.issueddocument": "append-only: each build of a document is a new row, never "
    "changed; its register entry is audited",
    "members.dataversion": "the cache token (members.caching): a random value replaced after "
    "every write, with no user and no date; a dated version per write would date each ballot",
}

#: Where each audited model's history belongs: the ORM path from the object to
#: its bloc-year or its province ("" for the object itself; a tuple: the first
#: path that leads somewhere). A model without a scope fails tests/test_audit.py.
SCOPES = {
    "members.province": "",
    "members.agency": "province",
    "members.user": ("agency__province", "board_province"),
    "members.importbatch": "province",
    "members.registerentry": "agency__province",
    "blocs.bloc": "province",
    "blocs.blocyear": "",
    "blocs.membership": "bloc_year",
    "blocs.secretariatdelegation": "bloc_year",
    "blocs.provincedeadline": "province",
    "blocs.blocyeardeadline": "bloc_year",
    "covenants.covenant": "bloc_year",
    "covenants.commitment": "covenant__bloc_year",
    "covenants.covenantattachment": "covenant__bloc_year",
    "covenants.signature": "covenant__bloc_year",
    "covenants.midyearreview": "bloc_year",
    "covenants.initiative": "bloc_year",
    "covenants.scoringtemplate": "bloc_year",
    "covenants.scoringgroup": "template__bloc_year",
    "covenants.scoringcriterion": "group__template__bloc_year",
    "covenants.scoringsettings": "bloc_year",
    "covenants.rankingpublication": "bloc_year",
    "covenants.scoresheet": "bloc_year",
    "covenants.scoreline": "sheet__bloc_year",
    "covenants.evidence": "line__sheet__bloc_year",
    "awards.conference": "bloc_year",
    "awards.attendance": "conference__bloc_year",
    "awards.countingmember": "conference__bloc_year",
    "awards.provincevotingdefaults": "province",
    "awards.votingrules": "bloc_year",
    "awards.eligibility": "bloc_year",
    "awards.poll": "bloc_year",
    "awards.awardproposal": "bloc_year",
    "awards.achievementreport": "proposal__bloc_year",
    "awards.flaghandover": "bloc_year",
    "awards.proposaldecision": "proposal__bloc_year",
}

#: The parts a history page shows with their whole, edited with it: (part
#: label, ORM path from the part to the whole, field naming the part). Parts
#: deleted since are found through the history itself.
PARTS = {
    "blocs.blocyear": (
        ("blocs.membership", "bloc_year", "agency"),
        ("blocs.secretariatdelegation", "bloc_year", "user"),
        ("blocs.blocyeardeadline", "bloc_year", "kind"),
    ),
    "covenants.covenant": (
        ("covenants.commitment", "covenant", "text"),
        ("covenants.covenantattachment", "covenant", "title"),
        ("covenants.signature", "covenant", "agency"),
    ),
    "covenants.scoringtemplate": (
        ("covenants.scoringgroup", "template", "code"),
        ("covenants.scoringcriterion", "group__template", "code"),
    ),
    "covenants.scoresheet": (
        ("covenants.scoreline", "sheet", "key"),
        ("covenants.evidence", "line__sheet", "original_name"),
    ),
    "covenants.scoreline": (("covenants.evidence", "line", "original_name"),),
    "awards.conference": (
        ("awards.attendance", "conference", "agency"),
        ("awards.countingmember", "conference", "full_name"),
    ),
    "awards.awardproposal": (
        ("awards.achievementreport", "proposal", "status"),
        ("awards.proposaldecision", "proposal", "outcome"),
    ),
}


def label_of(model) -> str:
    return model._meta.label_lower


def is_audited(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


@functools.cache
def historical_model(model):
    """The model's historical model (``HistoricalScoreLine`` for ``ScoreLine``).

    Cached: simple_history's descriptor builds a manager class (``from_queryset``,
    an ``inspect`` walk) at each access, and a history page asks once per model."""
    return getattr(model, model._meta.simple_history_manager_attribute).model


def audited_models() -> list:
    """Every audited model of the four apps."""
    return [
        model
        for app in ("members", "blocs", "covenants", "awards")
        for model in apps.get_app_config(app).get_models()
        if is_audited(model)
    ]


def update_quietly(queryset, **values) -> int:
    """Set ``values`` on the rows *and* on their latest version, adding none.

    For the demo's stage-setting only: it dates its records in the past after
    writing them through the services, and briefly reactivates the accounts of
    merged agencies; the history then still agrees with the rows. Never for a
    real change, which is saved (a new version, with its actor).
    """
    model = queryset.model
    values = {
        (field.attname if field.is_relation else field.name): (
            value.pk if isinstance(value, models.Model) else value
        )
        for name, value in values.items()
        for field in [model._meta.get_field(name)]
    }
    ids = list(queryset.values_list("pk", flat=True))
    count = model._base_manager.filter(pk__in=ids).update(**values)
    versions = historical_model(model).objects.filter(**{f"{model._meta.pk.attname}__in": ids})
    latest = versions.values(model._meta.pk.attname).annotate(last=models.Max("history_id"))
    historical_model(model).objects.filter(history_id__in=[row["last"] for row in latest]).update(
        **values
    )
    return count


# Who may read it -------------------------------------------------------------------------

#: Scope model label → predicate(user, scope object).
_SCOPE_CHECKS: dict[str, Callable] = {
    "members.province": lambda user, province: is_board_for(user, province.pk),
}
#: Whole's model label → function(user, whole) → {label: hidden field names or ALL_FIELDS}.
_HIDDEN: dict[str, Callable] = {}
#: Every field of a part is hidden (e.g. evidence before the self side is seen).
ALL_FIELDS = "__all__"


#: Scope model label → the lookups its check reads, prefetched by :func:`load_scope`.
_SCOPE_PREFETCH: dict[str, tuple] = {}


def register_scope_check(label: str, check: Callable, *, prefetch: tuple = ()) -> None:
    """``check(user, scope object) -> bool`` for scopes of the model ``label``
    (blocs registers the bloc-year's: its secretariat and its province's board);
    ``prefetch``: what the check reads on the scope (:func:`load_scope`)."""
    _SCOPE_CHECKS[label] = check
    _SCOPE_PREFETCH[label] = tuple(prefetch)


def scoped_queryset(model):
    """``model``'s rows with the way to their scope joined in (:data:`SCOPES`): a page
    that asks who may read a row finds its bloc-year or province without more queries."""
    paths = SCOPES.get(label_of(model), "")
    paths = [path for path in (paths if isinstance(paths, tuple) else (paths,)) if path]
    manager = model._base_manager
    return manager.select_related(*paths) if paths else manager.all()


def load_scope(obj):
    """``obj``'s scope (:func:`scope_of`) with what its check reads prefetched once: the
    history page asks twice (who may read it, which fields the blind review hides)."""
    scope = scope_of(obj)
    lookups = _SCOPE_PREFETCH.get(label_of(type(scope))) if scope is not None else None
    if lookups:
        models.prefetch_related_objects([scope], *lookups)
    return scope


def register_hidden_fields(label: str, rule: Callable) -> None:
    """``rule(user, whole)`` names the fields the user may not read yet on the
    history page of a ``label`` object and its parts (the blind review)."""
    _HIDDEN[label] = rule


def hidden_fields(user, obj) -> dict:
    rule = _HIDDEN.get(label_of(type(obj)))
    return rule(user, obj) if rule else {}


def scope_of(obj):
    """The bloc-year or province ``obj``'s history belongs to, or None."""
    paths = SCOPES[label_of(type(obj))]
    for path in paths if isinstance(paths, tuple) else (paths,):
        target = obj
        for name in path.split("__") if path else ():
            target = getattr(target, name)
            if target is None:
                break
        if target is not None:
            return target
    return None


def can_view_history(user, obj, *, scope=None) -> bool:
    """The secretariat of the object's bloc-year and its province's board (a
    site admin too); nobody for a model that is not audited. ``scope``: the
    object's bloc-year or province when the caller holds it (loaded with what
    the checks read), to save the queries of finding it again."""
    if not is_active_user(user) or label_of(type(obj)) not in SCOPES:
        return False
    scope = scope if scope is not None else scope_of(obj)
    if scope is None:
        return bool(user.is_superuser)
    check = _SCOPE_CHECKS.get(label_of(type(scope)))
    return bool(check and check(user, scope))


def history_url(user, obj, *, scope=None) -> str | None:
    """The object's history page, for a view to offer to whoever may read it."""
    if obj is None or obj.pk is None or not can_view_history(user, obj, scope=scope):
        return None
    return reverse("object_history", kwargs={"model": label_of(type(obj)), "pk": obj.pk})
