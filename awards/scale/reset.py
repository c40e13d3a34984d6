"""Finding and deleting the scale data, and only it.

Scale data is everything under a province whose code starts with ``scale-``: its
bloc-years and all they own (the backup graph's owned rows, :data:`awards.backup.graph.OWNED`),
its register, its province-level rows, blocs, accounts and agencies.

Deleting goes table by table, dependants first, with one ``DELETE`` per table
(``QuerySet._raw_delete``): Django's ``delete()`` would load millions of rows to send
their signals, and each audited row would write a "deleted" version into the history,
which synthetic data should not have. Rows elsewhere that point at a scale account
(history rows naming it as the actor, admin log entries, group links) are treated as
their foreign key's ``on_delete`` says: set to NULL or deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction

from awards.backup.graph import OWNED
from blocs.models import Bloc, BlocYear
from covenants.models import ScoreLine, ScoreSheet
from members.models import Agency, IssuedDocument, Province, RegisterEntry, User

from .presets import CODE_PREFIX, Preset, expected_counts
from .template import scale_template

__all__ = ["Shape", "existing_shape", "reset"]

_PROVINCE = "code__startswith"


def _scale(path: str) -> dict:
    """The filter that keeps rows under a scale province, ``path`` leading to it."""
    return {f"{path}__{_PROVINCE}" if path else _PROVINCE: CODE_PREFIX}


def _bloc_year_path(node_path: str) -> str:
    return f"{node_path}__bloc__province" if node_path else "bloc__province"


@dataclass(frozen=True)
class Shape:
    """How much scale data there is, by model label: tables that using the site cannot
    change (the years are closed), unlike, say, the issued documents, which a PDF download
    adds to."""

    counts: dict[str, int]
    first_year: int | None

    def matches(self, preset: Preset) -> bool:
        draft = scale_template(preset.criteria)
        groups = len(draft.groups)
        rows = sum(1 + len(c.children) for g in draft.groups for c in g.criteria)
        expected = expected_counts(preset, groups, rows)
        return self.first_year == preset.first_year and all(
            expected[label] == count for label, count in self.counts.items()
        )

    def describe(self) -> str:
        c = self.counts
        return (
            f"{c['members.Province']} provinces, {c['blocs.Bloc']} blocs, "
            f"{c['blocs.BlocYear']} bloc-years, {c['covenants.ScoreSheet']:,} score sheets, "
            f"{c['covenants.ScoreLine']:,} score lines"
        )


def existing_shape() -> Shape | None:
    """The scale data already in the database, or None when there is none."""
    provinces = Province.objects.filter(**_scale(""))
    if not provinces.exists():
        return None
    years = BlocYear.objects.filter(**_scale("bloc__province"))
    counts = {
        "members.Province": provinces.count(),
        "members.Agency": Agency.objects.filter(**_scale("province")).count(),
        "blocs.Bloc": Bloc.objects.filter(**_scale("province")).count(),
        "blocs.BlocYear": years.count(),
        "covenants.ScoreSheet": ScoreSheet.objects.filter(
            **_scale("bloc_year__bloc__province")
        ).count(),
        "covenants.ScoreLine": ScoreLine.objects.filter(
            **_scale("sheet__bloc_year__bloc__province")
        ).count(),
    }
    first = years.aggregate(first=models.Min("year"))["first"]
    return Shape(counts, first)


def _delete(model, log, **condition) -> int:
    queryset = model._base_manager.filter(**condition)
    count = queryset._raw_delete(queryset.db)
    if count:
        log(f"  {model._meta.label:32} {count:>10,} deleted")
    return count


def _release_users(users, log) -> int:
    """Rows outside the scale data that point at scale accounts: their on_delete."""
    done = 0
    handled = {User, Agency, Province}
    for model in apps.get_models(include_auto_created=True):
        if model in handled:
            continue
        for field in model._meta.concrete_fields:
            if not (field.is_relation and field.related_model is User and field.db_constraint):
                continue
            rows = model._base_manager.filter(**{f"{field.name}__in": users})
            on_delete = field.remote_field.on_delete
            if on_delete is models.SET_NULL:
                done += rows.update(**{field.name: None})
            elif on_delete is models.CASCADE:
                done += rows._raw_delete(rows.db)
            elif rows.exists():
                raise RuntimeError(
                    f"{model._meta.label}.{field.name} still points at a scale account"
                )
    return done


@transaction.atomic
def reset(*, log: Callable[[str], None] = print) -> int:
    """Delete every scale province and everything in it; return the rows deleted."""
    deleted = 0
    # Owned rows of the bloc-years, dependants first (the graph is in writing order).
    for node in reversed(OWNED):
        if node.register_key:
            continue
        deleted += _delete(node.model, log, **_scale(_bloc_year_path(node.path)))
    # Every register line of a scale agency (the bloc's documents and the units' own).
    deleted += _delete(IssuedDocument, log, **_scale("entry__agency__province"))
    deleted += _delete(RegisterEntry, log, **_scale("agency__province"))
    for label in (
        "awards.ProvinceDossier",
        "blocs.ProvinceDeadline",
        "awards.ProvinceVotingDefaults",
        "members.ImportBatch",
    ):
        deleted += _delete(apps.get_model(label), log, **_scale("province"))
    deleted += _delete(Bloc, log, **_scale("province"))
    users = User.objects.filter(
        models.Q(**_scale("agency__province")) | models.Q(**_scale("board_province"))
    ).values("pk")
    deleted += _release_users(users, log)
    deleted += _delete(User, log, pk__in=users)
    deleted += _delete(Agency, log, **_scale("province"))
    deleted += _delete(Province, log, **_scale(""))
    return deleted
