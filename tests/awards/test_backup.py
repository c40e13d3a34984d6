"""Backup of a bloc-year: ``export_blocyear`` writes a verified archive, ``import_blocyear``
restores it losslessly (deleted year, or an empty database), refuses a changed archive or an
existing year without ``--replace`` with nothing written, and replaces in one transaction.

One rich bloc-year is built and exported once for the module; each test runs in a
transaction rolled back after it, and puts back any file it removed from storage.
"""

import hashlib
import io
import json
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.db import connections
from django.urls import reverse

from awards.backup.archive import DATA, MANIFEST
from awards.backup.graph import OWNED, delete_bloc_year, file_fields
from awards.models import BallotParticipation, FlagHandover
from blocs.models import Bloc, BlocYear
from members.models import Agency, IssuedDocument, Province, RegisterEntry, User
from tests.awards.backup_canonical import canonical_dump, referenced
from tests.awards.backup_world import MISSING_ATTACHMENT, rich_bloc_year

pytestmark = [pytest.mark.django_db]


@dataclass
class World:
    bloc_year: BlocYear
    dump: dict
    references: dict
    archive: Path
    stdout: str
    stderr: str

    @property
    def args(self):
        bloc = self.bloc_year.bloc
        return [bloc.province.code, str(bloc.number), str(self.bloc_year.year)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        bloc_year = rich_bloc_year()
        archive = tmp_path_factory.mktemp("backup") / "khoi.zip"
        out, err = io.StringIO(), io.StringIO()
        bloc = bloc_year.bloc
        call_command(
            "export_blocyear", bloc.province.code, bloc.number, bloc_year.year,
            "-o", str(archive), stdout=out, stderr=err,
        )  # fmt: skip
        yield World(
            bloc_year=bloc_year,
            dump=canonical_dump(bloc_year),
            references=referenced(bloc_year),
            archive=archive,
            stdout=out.getvalue(),
            stderr=err.getvalue(),
        )
        call_command("flush", interactive=False, verbosity=0)


def _import(path, *options):
    out = io.StringIO()
    call_command("import_blocyear", str(path), *options, stdout=out)
    return out.getvalue()


def _current(world) -> BlocYear:
    return BlocYear.objects.get(bloc__number=world.bloc_year.bloc.number, year=world.bloc_year.year)


@contextmanager
def files_removed(bloc_year):
    """The bloc-year's files deleted from storage, and put back afterwards if still gone."""
    stored = []
    for node in OWNED:
        for row in node.rows(bloc_year):
            for field in file_fields(node.model):
                name = getattr(row, field.name).name
                if name and field.storage.exists(name):
                    with field.storage.open(name, "rb") as handle:
                        stored.append((field.storage, name, handle.read()))
    for storage, name, _content in stored:
        storage.delete(name)
    try:
        yield [name for _storage, name, _content in stored]
    finally:
        for storage, name, content in stored:
            if not storage.exists(name):
                assert storage.save(name, io.BytesIO(content)) == name


def rewritten(source: Path, target: Path, change) -> Path:
    """A copy of the archive with ``change(name, bytes) -> bytes`` applied to each member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, change(info.filename, old.read(info.filename)))
    return target


def test_the_archive_holds_every_model_with_checksums_and_no_credentials(world):
    with zipfile.ZipFile(world.archive) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        data = json.loads(zf.read(DATA))
        names = set(zf.namelist())
    bloc = world.bloc_year.bloc
    assert manifest["format"] == "thidua-blocyear"
    assert manifest["format_version"] == 1
    assert (manifest["province"], manifest["bloc"], manifest["year"]) == (
        bloc.province.code,
        bloc.number,
        world.bloc_year.year,
    )
    assert manifest["app_version"]
    assert manifest["source_site"]
    assert manifest["created_at"]
    assert set(manifest["files"]) == names - {MANIFEST}
    # A row of every model of the graph: the round trip below checks them all.
    assert set(manifest["counts"]) == {node.label.lower() for node in OWNED}
    # Evidence, attachment, signed report and issued PDFs, each stored once by content.
    assert len([name for name in names if name.startswith("files/")]) == 7
    assert manifest["missing_files"] == [MISSING_ATTACHMENT]
    assert MISSING_ATTACHMENT in world.stderr
    assert "Exported" in world.stdout
    people = data["references"]["members.user"]
    assert people
    assert all({"password", "is_superuser", "is_staff"}.isdisjoint(p["fields"]) for p in people)
    # The secret ballot as stored: who took part (poll, agency), never with a choice.
    participation = [r for r in data["rows"] if r["model"] == "awards.ballotparticipation"]
    assert len(participation) == BallotParticipation.objects.count() > 0
    assert all(set(r["fields"]) == {"poll", "agency"} for r in participation)


def test_a_deleted_bloc_year_comes_back_identical(world, client):
    old_pk = world.bloc_year.pk
    tokens = list(IssuedDocument.objects.values_list("token", flat=True))
    with files_removed(world.bloc_year) as removed:
        delete_bloc_year(world.bloc_year)
        assert not BlocYear.objects.filter(pk=old_pk).exists()
        output = _import(world.archive)
        restored = _current(world)
        assert restored.pk != old_pk
        assert canonical_dump(restored) == world.dump
        assert f"{len(removed)} files written" in output
        assert "Created: nothing" in output
    # Printed QR codes still verify: the documents keep their tokens.
    assert sorted(IssuedDocument.objects.values_list("token", flat=True)) == sorted(tokens)
    response = client.get(reverse("verify_document", args=[tokens[0]]))
    assert response.status_code == 200


def test_an_empty_database_gets_the_province_agencies_people_and_bloc_back(world):
    with files_removed(world.bloc_year):
        delete_bloc_year(world.bloc_year)
        User.objects.all().delete()
        Agency.objects.exclude(successor=None).delete()
        Agency.objects.all().delete()
        Bloc.objects.all().delete()
        Province.objects.all().delete()
        output = _import(world.archive)
        restored = _current(world)
        assert canonical_dump(restored) == world.dump
        assert referenced(restored) == world.references
    assert "1 blocs.bloc" in output
    assert "1 members.province" in output
    people = User.objects.all()
    assert people
    assert not any(p.has_usable_password() or p.is_staff for p in people)


def test_a_changed_file_byte_is_refused_with_nothing_written(world, tmp_path):
    before = (_current(world).pk, RegisterEntry.objects.count())
    with zipfile.ZipFile(world.archive) as zf:
        evidence = next(name for name in zf.namelist() if name.startswith("files/"))

    def flip(name, content):
        return content[:-1] + bytes([content[-1] ^ 1]) if name == evidence else content

    with pytest.raises(CommandError, match="corrupt or was changed") as refused:
        _import(rewritten(world.archive, tmp_path / "bad.zip", flip), "--replace")
    assert refused.value.returncode == 3
    assert evidence in str(refused.value)
    assert (_current(world).pk, RegisterEntry.objects.count()) == before
    assert canonical_dump(_current(world)) == world.dump


def test_a_changed_data_json_is_refused_with_nothing_written(world, tmp_path):
    def edit(name, content):
        if name != DATA:
            return content
        edited = content.replace("Đoàn kết".encode(), "Chia rẽ".encode())
        assert edited != content
        return edited

    changed = rewritten(world.archive, tmp_path / "edited.zip", edit)
    with pytest.raises(CommandError, match=r"data\.json does not match") as refused:
        _import(changed, "--replace")
    assert refused.value.returncode == 3
    assert canonical_dump(_current(world)) == world.dump


def test_an_existing_year_is_refused_without_replace_and_replaced_with_it(world):
    pk = world.bloc_year.pk
    with pytest.raises(CommandError, match="--replace") as refused:
        _import(world.archive)
    assert refused.value.returncode == 4
    assert _current(world).pk == pk

    output = _import(world.archive, "--replace")
    replaced = _current(world)
    assert replaced.pk != pk
    assert BlocYear.objects.count() == 1
    assert canonical_dump(replaced) == world.dump
    # Nothing of the old year is left, and identical files were not written twice.
    assert not RegisterEntry.objects.filter(key__startswith=f"blocyear:{pk}:").exists()
    assert output.startswith("Replaced")
    assert " 0 files written" in output


def test_a_number_held_by_another_document_refuses_the_import(world):
    entry = RegisterEntry.objects.filter(key__startswith=f"blocyear:{world.bloc_year.pk}:").first()
    with files_removed(world.bloc_year):
        delete_bloc_year(world.bloc_year)
        RegisterEntry.objects.create(
            agency=entry.agency, year=entry.year, number=entry.number, doc_type=entry.doc_type,
            key="other:1", symbol=entry.symbol, title="Công văn khác", issued_on=entry.issued_on,
        )  # fmt: skip
        with pytest.raises(CommandError, match="already held here") as refused:
            _import(world.archive)
        assert refused.value.returncode == 4
        assert not BlocYear.objects.filter(year=world.bloc_year.year).exists()


def test_a_failure_midway_rolls_back_the_rows_and_deletes_the_files_written(world, tmp_path):
    """A sound archive whose rows the database refuses late (two flag handovers for one
    year): nothing is left, neither rows nor the files already put back."""

    def duplicate_handover(name, content):
        if name not in (DATA, MANIFEST):
            return content
        if name == DATA:
            data = json.loads(content)
            handover = next(r for r in data["rows"] if r["model"] == "awards.flaghandover")
            data["rows"].append({**handover, "pk": handover["pk"] + 1000})
            return json.dumps(data).encode()
        return content

    changed = rewritten(world.archive, tmp_path / "twice.zip", duplicate_handover)
    _resign(changed)
    with files_removed(world.bloc_year) as removed:
        delete_bloc_year(world.bloc_year)
        with pytest.raises(CommandError, match="does not fit this database") as refused:
            _import(changed)
        assert refused.value.returncode == 4
        assert not BlocYear.objects.filter(year=world.bloc_year.year).exists()
        assert not FlagHandover.objects.exists()
        storages = {field.storage for node in OWNED for field in file_fields(node.model)}
        assert not any(storage.exists(name) for storage in storages for name in removed)


def _resign(path: Path) -> None:
    """Update the manifest's counts and checksums after an edit, as a careful forger would:
    the archive is then sound, and the database must refuse what it holds."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    manifest = json.loads(members[MANIFEST])
    data = json.loads(members[DATA])
    manifest["counts"] = {}
    for row in data["rows"]:
        manifest["counts"][row["model"]] = manifest["counts"].get(row["model"], 0) + 1
    manifest["files"][DATA] = {
        "sha256": hashlib.sha256(members[DATA]).hexdigest(),
        "size": len(members[DATA]),
    }
    members[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)


def test_help_texts_and_exit_codes(world, tmp_path, monkeypatch, capsys):
    for name, words in (("export_blocyear", "-o"), ("import_blocyear", "--replace")):
        command = load_command_class("awards", name)
        text = command.create_parser("manage.py", name).format_help()
        assert words in text
        assert "Exit status" in text
    # run_from_argv is what manage.py runs; it closes connections after the command, which
    # would end this test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    def exit_code(name, *argv):
        with pytest.raises(SystemExit) as exited:
            load_command_class("awards", name).run_from_argv(["manage.py", name, *argv])
        return exited.value.code

    assert exit_code("export_blocyear", "no-such-province", "6", "2025", "-o", "x.zip") == 1
    assert exit_code("export_blocyear", *world.args, "-o", str(world.archive)) == 1  # exists
    assert exit_code("export_blocyear", "only-a-province") == 2
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"hello")
    assert exit_code("import_blocyear", str(not_zip)) == 3
    assert exit_code("import_blocyear", str(world.archive)) == 4
    assert "not a ZIP archive" in capsys.readouterr().err
    assert "is sound" in _import(world.archive, "--check")


def test_every_model_reaching_a_bloc_year_is_declared_once_in_order():
    from django.apps import apps

    from awards.backup.graph import EXCLUDED, REFERENCES, is_historical

    owned = [node.label for node in OWNED]
    declared = owned + list(REFERENCES) + list(EXCLUDED)
    assert len(declared) == len(set(declared))
    for model in apps.get_models():
        label = model._meta.label
        if is_historical(model):
            assert label not in declared
            continue
        if model._meta.app_label in ("members", "blocs", "covenants", "awards"):
            assert label in declared, f"{label}: archive it (graph.OWNED) or say why not"
        targets = {
            f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation
        }
        if targets & set(owned):
            assert label in owned or label in EXCLUDED, f"{label} points into a bloc-year"
        if label in owned:
            earlier = set(owned[: owned.index(label) + 1]) | set(REFERENCES)
            assert targets <= earlier, f"{label} points to a later or unknown model"
