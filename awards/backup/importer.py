"""Import a bloc-year from its archive, all or nothing.

1. :func:`~awards.backup.archive.read_archive` verifies the ZIP, the manifest and every
   checksum, and :func:`_validated` the data's shape, its identity and that this
   application knows every migration the archive was made with — all before any write, so a
   corrupt, tampered or too new archive changes nothing;
2. in one transaction: the shared rows are matched or created
   (:mod:`awards.backup.references`), the bloc row is locked (two imports of one bloc wait
   for each other), an existing bloc-year of the same bloc and year is refused — or, with
   ``replace``, deleted (:func:`awards.backup.graph.delete_bloc_year`) — document numbers
   already held here by other documents are refused, then every owned row is written in
   the graph's order with new keys (:mod:`awards.backup.remap`) and its files put back;
3. if anything fails, the transaction rolls back and the files this import wrote are
   deleted again.

Rows are written "raw", as ``loaddata`` does: timestamps such as ``updated_at`` keep their
archived values, no signal handler acts on them, and the audit history records no change
(the archive restores what was, it changes nothing).
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import ContentFile
from django.core.files.utils import validate_file_name
from django.db import IntegrityError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import ProtectedError, RestrictedError
from django.db.models.fields import AutoFieldMixin

from blocs.models import Bloc, BlocYear
from members.models import IssuedDocument, RegisterEntry

from .archive import ArchiveInvalid, ImportRefused, ReadArchive, file_member, read_archive
from .graph import OWNED, delete_bloc_year, owned_labels
from .references import match_references
from .remap import VALUE_REWRITES, IdMap, ordered_by_self_reference

__all__ = ["ImportSummary", "check_archive", "import_bloc_year"]

logger = logging.getLogger(__name__)
_CHUNK = 1024 * 1024


@dataclass
class ImportSummary:
    province: str
    bloc: int
    year: int
    rows: int = 0
    replaced: bool = False
    bloc_year_id: int | None = None
    files_written: int = 0
    files_reused: int = 0
    created: Counter = field(default_factory=Counter)


def _identity(archive: ReadArchive) -> tuple[str, int, int]:
    manifest = archive.manifest
    return manifest.get("province"), manifest.get("bloc"), manifest.get("year")


def _validated(archive: ReadArchive) -> dict:
    """The archive's data, checked for what the import relies on (no write yet)."""
    data, manifest = archive.data, archive.manifest
    province, bloc, year = _identity(archive)
    if data.get("bloc_year") != {"province": province, "bloc": bloc, "year": year}:
        raise ArchiveInvalid("data.json and the manifest name different bloc-years.")
    rows = data.get("rows")
    if not isinstance(rows, list) or not all(
        isinstance(r, dict) and isinstance(r.get("fields"), dict) for r in rows
    ):
        raise ArchiveInvalid("data.json: the rows are not a list of serialized rows.")
    counts = Counter(row.get("model") for row in rows)
    if strangers := sorted(set(counts) - owned_labels()):
        raise ArchiveInvalid(f"data.json holds rows of {strangers[0]}, not part of a bloc-year.")
    if counts["blocs.blocyear"] != 1:
        raise ArchiveInvalid("data.json must hold exactly one bloc-year.")
    if dict(counts) != manifest.get("counts"):
        raise ArchiveInvalid("data.json does not hold the rows its manifest counts.")
    _check_migrations(manifest.get("migrations") or {})
    for entry in data.get("files") or []:
        if not isinstance(entry, dict) or not all(
            isinstance(entry.get(key), str) and entry[key] for key in ("model", "field", "name")
        ):
            raise ArchiveInvalid("data.json: a file entry lacks its model, field or name.")
        try:
            validate_file_name(entry["name"], allow_relative_path=True)
        except SuspiciousFileOperation as error:
            raise ArchiveInvalid(f"data.json: unsafe file name ({error}).") from error
        if not entry.get("missing") and file_member(entry.get("sha256") or "") not in (
            manifest.get("files") or {}
        ):
            raise ArchiveInvalid(f"data.json names a file the archive lacks: {entry['name']}.")
    return data


def _check_migrations(recorded: dict) -> None:
    known = MigrationLoader(connection, ignore_no_migrations=True).graph.nodes
    for app_label, names in sorted(recorded.items()):
        for name in names:
            if (app_label, name) not in known:
                raise ArchiveInvalid(
                    f"The archive was made by a newer version of the application (migration "
                    f"{app_label}.{name} is unknown here): upgrade this one first."
                )


def check_archive(path) -> dict:
    """Verify the archive at ``path`` without writing anything; return its manifest."""
    with read_archive(path) as archive:
        _validated(archive)
        return archive.manifest


def import_bloc_year(path, *, replace: bool = False) -> ImportSummary:
    """Import the archive at ``path``; ``replace`` deletes the same bloc-year first."""
    written: list[tuple] = []
    with read_archive(path) as archive:
        data = _validated(archive)
        try:
            with transaction.atomic():
                summary = _Import(archive, data, written).run(replace=replace)
        except BaseException as error:
            for storage, name in written:
                storage.delete(name)
            if isinstance(error, IntegrityError):
                raise ImportRefused(
                    f"The archive does not fit this database, nothing was imported: {error}"
                ) from error
            raise
    logger.info(
        "bloc-year %s/%s/%s imported from %s (%s rows)",
        summary.province,
        summary.bloc,
        summary.year,
        Path(path).name,
        summary.rows,
    )
    return summary


class _Import:
    def __init__(self, archive: ReadArchive, data: dict, written: list):
        self.archive = archive
        self.data = data
        self.written = written
        self.ids = IdMap()
        self.summary = ImportSummary(*_identity(archive))
        self.files = {
            (entry["model"], entry["field"], entry["name"]): entry
            for entry in data.get("files") or []
        }

    def run(self, *, replace: bool) -> ImportSummary:
        self.summary.created = match_references(self.data.get("references") or {}, self.ids)
        rows = self.data["rows"]
        by_model: dict[str, list[dict]] = {}
        for record in rows:
            by_model.setdefault(record["model"], []).append(record)
        year_record = by_model["blocs.blocyear"][0]["fields"]
        bloc = self._locked_bloc(year_record.get("bloc"))
        existing = BlocYear.objects.filter(bloc=bloc, year=year_record.get("year")).first()
        if existing is not None:
            if not replace:
                raise ImportRefused(
                    f"{existing} already exists in this database: nothing was imported. Use "
                    "--replace to delete it and import the archive in its place."
                )
            self._delete(existing)
            self.summary.replaced = True
        self._check_numbers(by_model)
        for node in OWNED:
            label = node.label.lower()
            for record in ordered_by_self_reference(node.model, by_model.get(label, [])):
                self._insert(node.model, label, record)
        for label, count in Counter(record["model"] for record in rows).items():
            if self.ids.count(label) != count:  # two archived rows with one key
                raise ArchiveInvalid(
                    f"{label}: {count} rows archived, {self.ids.count(label)} written."
                )
        self.summary.rows = len(rows)
        self.summary.bloc_year_id = self.ids.get(
            "blocs.blocyear", by_model["blocs.blocyear"][0]["pk"]
        )
        return self.summary

    def _locked_bloc(self, archived_bloc) -> Bloc:
        bloc = (
            Bloc.objects.select_for_update(of=("self",))
            .select_related("province")
            .get(pk=self.ids.get("blocs.bloc", archived_bloc))
        )
        if (bloc.province.code, bloc.number) != (self.summary.province, self.summary.bloc):
            raise ArchiveInvalid("data.json: the bloc-year's bloc is not the manifest's.")
        return bloc

    def _delete(self, bloc_year) -> None:
        try:
            delete_bloc_year(bloc_year)
        except (ProtectedError, RestrictedError) as error:
            names = ", ".join(sorted({str(row) for row in error.protected_objects})[:3])
            raise ImportRefused(
                f"{bloc_year} cannot be replaced: other rows still point to it ({names})."
            ) from error

    def _check_numbers(self, by_model: dict) -> None:
        """Issued documents keep their numbers and verification tokens: refuse, with the
        document named, when this database already gives them to another document."""
        for record in by_model.get("members.registerentry", []):
            fields = record["fields"]
            taken = (
                RegisterEntry.objects.filter(
                    agency_id=self.ids.get("members.agency", fields.get("agency")),
                    year=fields.get("year"),
                    number=fields.get("number"),
                )
                .select_related("agency")
                .first()
            )
            if taken is not None:
                raise ImportRefused(
                    f"Number {taken.number_symbol} of {taken.agency} in {taken.year} is already "
                    f"held here by “{taken.title}”; the archived documents keep their numbers, "
                    "so nothing was imported."
                )
        tokens = [r["fields"].get("token") for r in by_model.get("members.issueddocument", [])]
        if taken := IssuedDocument.objects.filter(token__in=tokens).first():
            raise ImportRefused(
                f"The issued document {taken.token} already exists here: nothing was imported."
            )

    def _insert(self, model, label: str, record: dict) -> None:
        fields = dict(record["fields"])
        for model_field in model._meta.concrete_fields:
            name = model_field.name
            if model_field.primary_key or fields.get(name) is None:
                continue
            if model_field.is_relation:
                target = model_field.related_model._meta.label_lower
                fields[name] = self.ids.get(target, fields[name])
            if rewrite := VALUE_REWRITES.get((label, name)):
                fields[name] = rewrite(fields[name], self.ids)
            if isinstance(model_field, models.FileField) and fields[name]:
                fields[name] = self._restore(model_field, label, fields[name])
        keeps_key = not isinstance(model._meta.pk, AutoFieldMixin)
        serialized = {"model": label, "pk": record.get("pk") if keeps_key else None}
        try:
            (row,) = serializers.deserialize(
                "python", [{**serialized, "fields": fields}], ignorenonexistent=True
            )
        except (serializers.base.DeserializationError, ValidationError) as error:
            raise ArchiveInvalid(f"data.json: {label} {record.get('pk')}: {error}") from error
        row.save()
        self.ids.add(label, record.get("pk"), row.object.pk)

    def _restore(self, model_field, label: str, name: str) -> str:
        """Put the file back under its archived name; an identical file already there is
        reused, a different one keeps its place and this one gets a free name."""
        entry = self.files.get((label, model_field.name, name))
        if entry is None:
            raise ArchiveInvalid(f"data.json: {label}.{model_field.name} {name} is not listed.")
        if entry.get("missing"):
            return name
        storage = model_field.storage
        if storage.exists(name) and _sha256(storage, name) == entry["sha256"]:
            self.summary.files_reused += 1
            return name
        with self.archive.open_file(entry["sha256"]) as handle:
            content = ContentFile(handle.read())
        saved = storage.save(name, content, max_length=model_field.max_length)
        self.written.append((storage, saved))
        self.summary.files_written += 1
        return saved


def _sha256(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
