"""Match the archive's shared rows (province, agencies, people, bloc) to this database's.

Shared rows outlive a bloc-year and other years point to them, so an import never changes
or deletes them. Each one is matched by a natural key; a missing one is **created** from the
archive (so a bloc-year restores into an empty database), and the import lists what it
created:

- a province by its code;
- an agency by its province and code. A renamed agency keeps its code (the old row ends and
  points to its successor, :mod:`blocs.services.succession`), so among the rows sharing a
  code the one with the same name is taken; failing that, for an archived agency that was
  active, the active one with that code (its name may have been corrected since);
- a person by username, then by email (case-insensitive). A person created by an import has
  no password (they set one through "forgot password") and no admin rights: the archive
  carries neither;
- the bloc by its province and number.

A row that cannot be created (e.g. an active agency of the same name under another code)
stops the import with the database's own message, naming the row.
"""

from __future__ import annotations

from collections import Counter

from django.apps import apps
from django.core.exceptions import ValidationError

from .archive import ArchiveInvalid, ImportRefused
from .graph import REFERENCES
from .remap import IdMap, ordered_by_self_reference

__all__ = ["match_references"]


def _fields(record: dict) -> dict:
    return record.get("fields") or {}


def _find_province(model, fields, ids):
    return model._base_manager.filter(code=fields.get("code")).first()


def _find_agency(model, fields, ids):
    same_code = model._base_manager.filter(
        province_id=ids.get("members.province", fields.get("province")), code=fields.get("code")
    ).order_by("-is_active", "pk")
    exact = same_code.filter(name=fields.get("name")).first()
    if exact is not None or not fields.get("is_active"):
        return exact
    return same_code.filter(is_active=True).first()


def _find_user(model, fields, ids):
    user = model._base_manager.filter(username=fields.get("username")).first()
    if user is None and fields.get("email"):
        user = model._base_manager.filter(email__iexact=fields["email"]).order_by("pk").first()
    return user


def _find_bloc(model, fields, ids):
    return model._base_manager.filter(
        province_id=ids.get("members.province", fields.get("province")),
        number=fields.get("number"),
    ).first()


_FINDERS = {
    "members.province": _find_province,
    "members.agency": _find_agency,
    "members.user": _find_user,
    "blocs.bloc": _find_bloc,
}


def _describe(label: str, fields: dict) -> str:
    for name in ("username", "name", "code", "number"):
        if fields.get(name):
            return f"{label} “{fields[name]}”"
    return label


def _create(model, label: str, fields: dict, ids: IdMap):
    values = {}
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key or model_field.name not in fields:
            continue
        value = fields[model_field.name]
        if model_field.is_relation and value is not None:
            values[model_field.attname] = ids.get(
                model_field.related_model._meta.label_lower, value
            )
        else:
            values[model_field.attname] = model_field.to_python(value)
    row = model(**values)
    if label == "members.user":
        row.set_unusable_password()
        row.is_staff = row.is_superuser = False
    try:
        row.full_clean()
    except ValidationError as error:
        messages = "; ".join(error.messages)
        raise ImportRefused(
            f"Cannot create {_describe(label, fields)} from the archive: {messages}"
        ) from error
    row.save()
    return row


def match_references(references: dict, ids: IdMap) -> Counter:
    """Map every archived shared row to a row here (found or created); count the created."""
    created: Counter = Counter()
    for label in REFERENCES:
        key = label.lower()
        model = apps.get_model(label)
        records = references.get(key, [])
        if not isinstance(records, list):
            raise ArchiveInvalid(f"data.json: the references of {key} are not a list.")
        for record in ordered_by_self_reference(model, records):
            fields = _fields(record)
            row = _FINDERS[key](model, fields, ids)
            if row is None:
                row = _create(model, key, fields, ids)
                created[key] += 1
            ids.add(key, record.get("pk"), row.pk)
    return created
