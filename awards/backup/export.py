"""Export one bloc-year to a portable archive (:mod:`awards.backup.archive`).

``data.json`` holds:

- ``bloc_year``: the identity (province code, bloc number, year);
- ``rows``: every owned row (:data:`awards.backup.graph.OWNED`) in dependency order, in
  Django's serializer format (``model``, ``pk``, ``fields``) with their primary and foreign
  keys as stored here: within the archive they only tie rows together, the importer gives
  the rows new keys;
- ``references``: the shared rows those keys point to (provinces, agencies with their
  successors, people, the bloc), which the importer matches by natural key; people without
  their password or admin rights;
- ``files``: for each file a row names (model, field, stored name), its SHA-256 and size,
  the bytes being in ``files/`` (or ``missing`` when the storage had no such file: the row
  keeps its name and the export says so).

The rows are read in one transaction, repeatable-read on PostgreSQL, so that a year being
edited meanwhile is exported as it stood at one moment.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .archive import FORMAT, FORMAT_VERSION, ArchiveWriter, BackupError, dumps, file_member
from .graph import OWNED, REFERENCE_FIELDS, REFERENCES, file_fields
from .remap import VALUE_REFERENCES

__all__ = ["ExportSummary", "app_version", "export_bloc_year", "migration_state"]

_CHUNK = 1024 * 1024


@dataclass
class ExportSummary:
    path: Path
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    missing_files: list[str] = field(default_factory=list)
    sha256: str = ""


def app_version() -> str:
    try:
        return metadata.version("thidua")
    except metadata.PackageNotFoundError:
        return "unknown"


def migration_state() -> dict[str, list[str]]:
    """The latest migration of each app whose rows an archive holds."""
    apps_used = {node.model._meta.app_label for node in OWNED} | {
        label.split(".")[0] for label in REFERENCES
    }
    leaves = MigrationLoader(connection, ignore_no_migrations=True).graph.leaf_nodes()
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(leaves):
        if app_label in apps_used:
            state.setdefault(app_label, []).append(name)
    return state


@contextmanager
def _snapshot():
    """An outermost transaction reads one snapshot: PostgreSQL needs repeatable read for
    that (its default sees each statement's own); SQLite's read transaction already does."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _rows(bloc_year) -> list[dict]:
    rows: list[dict] = []
    exported: dict[str, set] = {}
    for node in OWNED:
        model = node.model
        records = serializers.serialize("python", node.rows(bloc_year))
        exported[model._meta.label_lower] = {str(record["pk"]) for record in records}
        rows.extend(records)
    _check_closed(rows, exported)
    return rows


def _check_closed(rows: list[dict], exported: dict[str, set]) -> None:
    """Every key between owned rows stays inside the bloc-year: an archive whose rows point
    at another year's rows could not be imported on its own."""
    for record in rows:
        model = apps.get_model(record["model"])
        for model_field in model._meta.concrete_fields:
            target = model_field.related_model
            value = record["fields"].get(model_field.name) if model_field.is_relation else None
            if value is None or target._meta.label_lower not in exported:
                continue
            if str(value) not in exported[target._meta.label_lower]:
                raise BackupError(
                    f"{record['model']} {record['pk']} points to {target._meta.label_lower} "
                    f"{value}, which is not part of this bloc-year: the data is inconsistent."
                )


def _references(rows: list[dict]) -> dict[str, list[dict]]:
    """The shared rows the owned rows point to (by key, or inside a value such as a poll's
    outcome), and those these point to (an agency's successor, a person's agency and
    province), until nothing new turns up."""
    wanted: dict[str, set] = {label.lower(): set() for label in REFERENCES}
    found: dict[str, dict] = {label.lower(): {} for label in REFERENCES}

    def collect(records):
        for record in records:
            model = apps.get_model(record["model"])
            for model_field in model._meta.concrete_fields:
                value = record["fields"].get(model_field.name)
                if (record["model"], model_field.name) in VALUE_REFERENCES:
                    target, named = VALUE_REFERENCES[record["model"], model_field.name]
                    wanted[target].update(named(value))
                if not model_field.is_relation:
                    continue
                target = model_field.related_model._meta.label_lower
                if target in wanted and value is not None:
                    wanted[target].add(value)

    collect(rows)
    while any(wanted[label] - found[label].keys() for label in wanted):
        for label in REFERENCES:
            key = label.lower()
            missing = wanted[key] - found[key].keys()
            if not missing:
                continue
            model = apps.get_model(label)
            records = serializers.serialize(
                "python",
                model._base_manager.filter(pk__in=missing).order_by("pk"),
                fields=REFERENCE_FIELDS[label],
            )
            for record in records:
                record["fields"].pop("groups", None)
                record["fields"].pop("user_permissions", None)
                found[key][record["pk"]] = record
            collect(records)
    return {label: [found[label][pk] for pk in sorted(found[label])] for label in found}


def _files(rows: list[dict], writer: ArchiveWriter, summary: ExportSummary) -> list[dict]:
    listed: dict[tuple, dict] = {}
    for record in rows:
        model = apps.get_model(record["model"])
        for file_field in file_fields(model):
            name = record["fields"].get(file_field.name)
            key = (record["model"], file_field.name, name)
            if not name or key in listed:
                continue
            storage = file_field.storage
            if not storage.exists(name):
                listed[key] = {"model": key[0], "field": key[1], "name": name, "missing": True}
                summary.missing_files.append(name)
                continue
            with storage.open(name, "rb") as handle:
                content = handle.read()
            sha256 = hashlib.sha256(content).hexdigest()
            if not writer.has(file_member(sha256)):
                writer.add(file_member(sha256), content)
                summary.files += 1
                summary.file_bytes += len(content)
            listed[key] = {
                "model": key[0],
                "field": key[1],
                "name": name,
                "sha256": sha256,
                "size": len(content),
            }
    return list(listed.values())


def export_bloc_year(bloc_year, path) -> ExportSummary:
    """Write the archive of ``bloc_year`` to ``path`` (replaced only once complete)."""
    path = Path(path)
    summary = ExportSummary(path=path)
    bloc = bloc_year.bloc
    identity = {"province": bloc.province.code, "bloc": bloc.number, "year": bloc_year.year}
    handle, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=".export-", suffix=".zip")
    try:
        with os.fdopen(handle, "wb") as target:
            writer = ArchiveWriter(target)
            with _snapshot():
                rows = _rows(bloc_year)
                data = {
                    "bloc_year": identity,
                    "rows": rows,
                    "references": _references(rows),
                    "files": _files(rows, writer, summary),
                }
            writer.add("data.json", dumps(data))
            summary.rows = len(rows)
            writer.close(
                {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "app_version": app_version(),
                    "migrations": migration_state(),
                    "source_site": settings.SITE_URL,
                    **identity,
                    "created_at": timezone.now().isoformat(),
                    "counts": _counts(rows),
                    "missing_files": summary.missing_files,
                }
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with path.open("rb") as archive:
        while chunk := archive.read(_CHUNK):
            digest.update(chunk)
    summary.sha256 = digest.hexdigest()
    return summary


def _counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in rows:
        counts[record["model"]] = counts.get(record["model"], 0) + 1
    return counts
