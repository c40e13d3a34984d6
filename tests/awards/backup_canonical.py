"""The canonical dump a bloc-year's round trip is judged by, written apart from the exporter.

Every field of every row of the archive graph, keys replaced by what they point to (shared
rows by natural key, owned rows by their own canonical content), keys inside values too (a
poll's outcome, a register key), and files by the SHA-256 of their bytes. Equal dumps mean
the same bloc-year, whatever primary keys the rows have.
"""

import hashlib
import re

from django.db.models.fields import AutoFieldMixin

from awards.backup.graph import OWNED, file_fields
from awards.models import AwardProposal, Poll
from blocs.models import Bloc
from members.models import Agency, Province, User

__all__ = ["canonical_dump", "referenced"]

_NATURAL = {
    Province: lambda p: ("province", p.code),
    Agency: lambda a: ("agency", a.province.code, a.code, a.name),
    User: lambda u: ("user", u.username),
    Bloc: lambda b: ("bloc", b.province.code, b.number),
}


class _Canon:
    def __init__(self, bloc_year):
        self.rows = {node.model: {row.pk: row for row in node.rows(bloc_year)} for node in OWNED}
        self.memo: dict = {}
        self.references: set = set()

    def identity(self, model, pk):
        if pk is None:
            return None
        if model in _NATURAL:
            row = model._base_manager.get(pk=pk)
            self.references.add((model, row.pk))
            return _NATURAL[model](row)
        key = (model, pk)
        if key not in self.memo:
            row = self.rows[model][pk]  # a key leading outside the bloc-year fails here
            self.memo[key] = hashlib.sha256(self.content(row).encode()).hexdigest()
        return self.memo[key]

    def content(self, row) -> str:
        model = type(row)
        values = []
        for field in model._meta.concrete_fields:
            if isinstance(field, AutoFieldMixin):
                continue
            value = getattr(row, field.attname)
            if field.is_relation:
                value = self.identity(field.related_model, value)
            elif field in file_fields(model):
                value = _file_digest(field, value.name)
            elif (model, field.name) == (Poll, "outcome"):
                value = self.outcome(value)
            elif field.name == "key" and model._meta.label == "members.RegisterEntry":
                value = self.register_key(value)
            values.append((field.name, value))
        return f"{model._meta.label}{values!r}"

    def outcome(self, value):
        def agency(pk):
            return self.identity(Agency, pk)

        if not value:
            return value
        return {
            **value,
            "elected": [agency(pk) for pk in value["elected"]],
            "next_round": [agency(pk) for pk in value["next_round"]],
            "results": [{**r, "agency_id": agency(r["agency_id"])} for r in value["results"]],
        }

    def register_key(self, key: str) -> str:
        key = re.sub(r"^blocyear:\d+:", "blocyear:*:", key)
        return re.sub(
            r"achievement:(\d+)$",
            lambda m: f"achievement:{self.identity(AwardProposal, int(m[1]))}",
            key,
        )


def _file_digest(field, name: str):
    if not name:
        return ""
    if not field.storage.exists(name):
        return f"missing:{name}"
    with field.storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def canonical_dump(bloc_year) -> dict[str, list[str]]:
    """Model → sorted canonical rows; equal dumps mean the same bloc-year, whatever keys."""
    canon = _Canon(bloc_year)
    return {
        node.label: sorted(canon.content(row) for row in canon.rows[node.model].values())
        for node in OWNED
    }


def referenced(bloc_year) -> dict:
    """The shared rows the bloc-year points to (and those they point to), by natural key,
    with their own fields; credentials and login times left out."""
    canon = _Canon(bloc_year)
    for rows in canon.rows.values():
        for row in rows.values():
            canon.content(row)
    shown, done = {}, set()
    while pending := canon.references - done:
        model, pk = pending.pop()
        done.add((model, pk))
        row = model._base_manager.get(pk=pk)
        fields = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in ("password", "last_login"):
                continue
            value = getattr(row, field.attname)
            if field.is_relation:
                value = canon.identity(field.related_model, value)
            fields[field.name] = value
        shown[_NATURAL[model](row)] = fields
    return shown
