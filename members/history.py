"""The history page's reads: an object's versions and its parts', newest first,
each with who, when, what kind of change and, per changed field, before → after.

Versions are read with ``values()`` (the columns a reader may not see yet are
never selected: :func:`members.audit.hidden_fields`) and compared in Python,
one object's versions with its previous one. Users and related objects are
fetched once per model, whatever the number of versions: the page's query
count does not grow with the history. The objects the page already holds (the
object and what it was loaded with) are not fetched again, and only the versions
of the page shown are described (:func:`describe`): the rest of a long history
costs one dict per version, not its field-by-field comparison.
"""

from __future__ import annotations

import datetime
import json
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit
from .models import User

__all__ = [
    "KIND_LABELS",
    "NAMES_READ",
    "FieldChange",
    "Version",
    "describe",
    "known_objects",
    "list_versions",
    "named_by",
    "object_versions",
]

#: The change types of simple_history, as the page names them.
KIND_LABELS = {
    "+": gettext_lazy("Created"),
    "~": gettext_lazy("Changed"),
    "-": gettext_lazy("Deleted"),
}
_TEXT_LIMIT = 300


@dataclass
class FieldChange:
    label: str
    before: str
    after: str


@dataclass
class Version:
    history_id: int
    date: datetime.datetime
    user: User | None
    kind: str
    #: "" for the object itself; "Score line: I.1" for a part.
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)
    #: What :func:`describe` reads: the model's versions, this row and the one before.
    source: _Source | None = field(default=None, repr=False, compare=False)
    row: dict | None = field(default=None, repr=False, compare=False)
    previous: dict | None = field(default=None, repr=False, compare=False)

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])


@dataclass
class _Source:
    """One model's versions on the page: the object's own, or a part's."""

    model: type
    rows: list[dict]
    fields: list
    title: models.Field | None


def _shown_fields(model, hidden) -> list:
    """The model's audited fields a reader sees, without the key and the
    ``auto_now`` stamps (every version has its own date)."""
    kept = {f.attname for f in audit.historical_model(model)._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.attname in kept
        and not f.primary_key
        and f.name not in hidden
        and not getattr(f, "auto_now", False)
    ]


def _rows(model, filters: dict, fields, title) -> list[dict]:
    columns = {f.attname for f in fields} | ({title.attname} if title else set())
    return list(
        audit.historical_model(model)
        .objects.filter(**filters)
        .order_by("history_date", "history_id")
        .values(
            "history_id",
            "history_date",
            "history_type",
            "history_user_id",
            model._meta.pk.attname,
            *sorted(columns),
        )
    )


def _part_filter(part, path: str, pk, loaded: dict) -> dict:
    """The filter on the part's versions that belong to the whole ``pk``; the
    hops in between are found in their own history (deleted rows included), or
    in the versions already read for the page (``loaded``: (model, column,
    ids) → the ids of those versions: a sheet's lines, for their evidence)."""
    names = path.split("__")
    chain = [part]
    for name in names[:-1]:
        chain.append(chain[-1]._meta.get_field(name).related_model)
    ids = [pk]
    for model, name in zip(reversed(chain[1:]), reversed(names[1:]), strict=True):
        attname = model._meta.get_field(name).attname
        known = loaded.get((model, attname, frozenset(ids)))
        if known is not None:
            ids = known
            continue
        ids = list(
            audit.historical_model(model)
            .objects.filter(**{f"{attname}__in": ids})
            .order_by()
            .values_list(model._meta.pk.attname, flat=True)
            .distinct()
        )
    return {f"{part._meta.get_field(names[0]).attname}__in": ids}


def _sources(obj, hidden: dict) -> list[_Source]:
    label = audit.label_of(type(obj))
    own = hidden.get(label, ())
    sources = []
    if own != audit.ALL_FIELDS:
        fields = _shown_fields(type(obj), own)
        rows = _rows(type(obj), {type(obj)._meta.pk.attname: obj.pk}, fields, None)
        sources.append(_Source(type(obj), rows, fields, None))
    loaded: dict = {}
    for part_label, path, title_name in audit.PARTS.get(label, ()):
        part = apps.get_model(part_label)
        concealed = hidden.get(part_label, ())
        if concealed == audit.ALL_FIELDS:
            continue
        fields = _shown_fields(part, concealed)
        title = part._meta.get_field(title_name)
        filters = _part_filter(part, path, obj.pk, loaded)
        rows = _rows(part, filters, fields, title)
        sources.append(_Source(part, rows, fields, title))
        [(lookup, ids)] = filters.items()
        pk_name = part._meta.pk.attname
        loaded[(part, lookup.removesuffix("__in"), frozenset(ids))] = sorted(
            {row[pk_name] for row in rows}
        )
    return sources


def known_objects(*objects) -> dict:
    """Model → {pk: object} for ``objects`` and every object they were loaded
    with (``select_related``, followed through): what the page need not fetch."""
    found: dict = defaultdict(dict)
    stack = list(objects)
    while stack:
        obj = stack.pop()
        if not isinstance(obj, models.Model) or obj.pk in found[type(obj)]:
            continue
        found[type(obj)][obj.pk] = obj
        stack.extend(obj._state.fields_cache.values())
    return found


def _related(sources, known: dict) -> dict:
    """Related model → {pk: object} for every foreign key value shown and every
    version's user (one query per model, none for the objects in ``known``)."""
    wanted = defaultdict(set)
    for source in sources:
        relations = [f for f in [*source.fields, source.title] if f is not None and f.is_relation]
        for row in source.rows:
            if row["history_user_id"] is not None:
                wanted[User].add(row["history_user_id"])
            for f in relations:
                if row[f.attname] is not None:
                    wanted[f.related_model].add(row[f.attname])
    found = {}
    for model, ids in wanted.items():
        have = known.get(model, {})
        found[model] = {pk: have[pk] for pk in ids if pk in have}
        missing = [pk for pk in ids if pk not in have]
        if missing:
            rows = model._base_manager.all()
            paths = NAMES_READ.get(audit.label_of(model))
            if paths is None:
                paths = named_by(model)
            if paths:
                rows = rows.select_related(*paths)
            found[model].update(rows.in_bulk(missing))
    return found


#: What the ``__str__`` of a model named on many versions reads, where that is less
#: than :func:`named_by` joins: a criterion (every line's first version names its
#: criterion) is named by its code and title, and the joins up to its year and its
#: author made its query four times dearer. ``tests/members/test_history_page.py``
#: checks that each is named without a query.
NAMES_READ = {
    "covenants.scoringcriterion": (),
    "covenants.scoringgroup": (),
}


def named_by(model, depth: int = 3, prefix: str = "") -> list[str]:
    """The required relations a ``__str__`` may read (a sheet names its agency and
    its year's bloc), joined in the same query."""
    paths = []
    for f in model._meta.concrete_fields:
        if f.is_relation and not f.null and depth:
            paths.append(prefix + f.name)
            paths += named_by(f.related_model, depth - 1, f"{prefix}{f.name}__")
    return paths


def _text(value) -> str:
    text = unicodedata.normalize("NFC", str(value))
    # Truncator's own result when nothing is cut (it counts no more characters than len).
    return text if len(text) <= _TEXT_LIMIT else Truncator(text).chars(_TEXT_LIMIT)


def display(field, value, related: dict) -> str:
    """A value as a reader reads it: choices by label, a related object by name,
    dates in local time, long texts cut."""
    if value is None or value == "":
        return "—"
    if field.is_relation:
        target = related.get(field.related_model, {}).get(value)
        return str(target) if target is not None else f"#{value}"
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.DateTimeField):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, models.DecimalField):
        return formats.number_format(value)
    if isinstance(field, models.FileField):
        return os.path.basename(str(value))
    if isinstance(field, models.JSONField):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return _text(value)


def _changes(version: Version, related, labels: dict) -> list[FieldChange]:
    row, previous, source = version.row, version.previous, version.source
    if row["history_type"] == "-":
        return []
    changes = []
    for f in source.fields:
        after = row[f.attname]
        if previous is None:
            if after is None or after == "":
                continue
            before_text = "—" if row["history_type"] == "+" else _("not recorded")
        elif previous[f.attname] == after:
            continue
        else:
            before_text = display(f, previous[f.attname], related)
        if f not in labels:
            labels[f] = capfirst(f.verbose_name)
        changes.append(FieldChange(labels[f], before_text, display(f, after, related)))
    return changes


def list_versions(obj, *, hidden: dict | None = None) -> list[Version]:
    """Every version of ``obj`` and of its parts (:data:`members.audit.PARTS`),
    newest first, not described yet (:func:`describe` the ones shown).
    ``hidden``: label → field names (or ``ALL_FIELDS``) the reader may not see,
    from :func:`members.audit.hidden_fields`."""
    versions = []
    for source in _sources(obj, hidden or {}):
        pk_name = source.model._meta.pk.attname
        previous: dict = {}
        for row in source.rows:
            versions.append(
                Version(
                    history_id=row["history_id"],
                    date=row["history_date"],
                    user=None,
                    kind=row["history_type"],
                    source=source,
                    row=row,
                    previous=previous.get(row[pk_name]),
                )
            )
            previous[row[pk_name]] = row
    versions.sort(key=lambda v: (v.date, v.history_id), reverse=True)
    return versions


def describe(versions, everything: list[Version] | None = None, *, known: dict | None = None):
    """Fill in who, the part named and the changed fields of ``versions``. The
    related objects are read for ``everything`` (all the versions listed, by
    default ``versions``), so that the page's queries do not depend on which
    versions it shows; ``known``: objects already loaded (:func:`known_objects`)."""
    sources = {id(v.source): v.source for v in everything or versions}.values()
    related = _related(sources, known or {})
    users = related.get(User, {})
    labels: dict = {}
    for version in versions:
        source, row = version.source, version.row
        version.user = users.get(row["history_user_id"])
        if source.title is not None:
            name = display(source.title, row[source.title.attname], related)
            version.subject = f"{capfirst(source.model._meta.verbose_name)}: {name}"
        version.changes = _changes(version, related, labels)


def object_versions(obj, *, hidden: dict | None = None) -> list[Version]:
    """Every version of ``obj`` and of its parts, newest first, described."""
    versions = list_versions(obj, hidden=hidden)
    describe(versions, known=known_objects(obj))
    return versions
