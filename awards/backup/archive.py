"""The archive's container: a ZIP holding ``manifest.json``, ``data.json`` and ``files/…``.

- ``manifest.json`` says what the archive is (format and version, the application's version
  and migrations, the source site, the bloc-year's province code, bloc number and year, when
  it was made) and lists every other member with its SHA-256 and size;
- ``data.json`` holds the rows (Django's serializer format, see :mod:`awards.backup.export`);
- ``files/<2 hex>/<sha256>``: each stored file once, named by its content (content-addressed,
  so a file named by several rows is stored once and a changed byte cannot go unnoticed).

:func:`read_archive` checks everything it can without the database *before* anything is
written: that it is a ZIP, the manifest's format and version, each member's size and
SHA-256, that no member is missing or unlisted, and that ``data.json`` parses. The
checksums detect corruption and careless edits; they are not a signature (whoever can edit
the archive can also rewrite its manifest), so archives are to be kept where only
administrators write.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise

__all__ = [
    "DATA",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "ArchiveInvalid",
    "ArchiveWriter",
    "BackupError",
    "ImportRefused",
    "ReadArchive",
    "dumps",
    "file_member",
    "read_archive",
]

FORMAT = "thidua-blocyear"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
_CHUNK = 1024 * 1024
#: Fixed member dates: the same rows and files give the same ZIP members.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


class BackupError(Exception):
    """A refusal with a message for the administrator; ``exit_code`` for the commands."""

    exit_code = 1


class ArchiveInvalid(BackupError):
    """Not a readable archive of this format: corrupt, tampered, or from a newer version."""

    exit_code = 3


class ImportRefused(BackupError):
    """A sound archive that this database cannot take as asked (e.g. the year exists)."""

    exit_code = 4


class _Encoder(json.JSONEncoder):
    """Like Django's, but datetimes keep their microseconds (Django's encoder cuts them to
    milliseconds, which would make the round trip lossy)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID | Promise):
            return str(o)
        return super().default(o)


def dumps(value: Any) -> bytes:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, indent=1).encode()


def file_member(sha256: str) -> str:
    return f"files/{sha256[:2]}/{sha256}"


class ArchiveWriter:
    """Writes members and remembers their digests; :meth:`close` adds the manifest."""

    def __init__(self, target: IO[bytes]):
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.members: dict[str, dict] = {}

    def has(self, name: str) -> bool:
        return name in self.members

    def add(self, name: str, content: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        self._zip.writestr(info, content)
        self.members[name] = {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}

    def close(self, manifest: dict) -> None:
        self.add(MANIFEST, dumps({**manifest, "files": dict(sorted(self.members.items()))}))
        self._zip.close()


@dataclass
class ReadArchive:
    """A verified archive: its manifest, its parsed data, and its files by SHA-256."""

    path: Path
    manifest: dict
    data: dict
    _zip: zipfile.ZipFile = field(repr=False)

    def open_file(self, sha256: str) -> IO[bytes]:
        return self._zip.open(file_member(sha256))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _digest(zf: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with zf.open(name) as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _json_member(zf: zipfile.ZipFile, name: str) -> dict:
    try:
        value = json.loads(zf.read(name))
    except (KeyError, ValueError, UnicodeDecodeError) as error:
        raise ArchiveInvalid(f"{name} is missing or is not valid JSON ({error}).") from error
    if not isinstance(value, dict):
        raise ArchiveInvalid(f"{name} is not a JSON object.")
    return value


def read_archive(path) -> ReadArchive:
    """Open and verify the archive at ``path``; raise :class:`ArchiveInvalid` otherwise."""
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError as error:
        raise ArchiveInvalid(f"{path}: no such file.") from error
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveInvalid(f"{path} is not a ZIP archive ({error}).") from error
    try:
        manifest = _verify(zf)
        data = _json_member(zf, DATA)
    except zipfile.BadZipFile as error:  # a damaged member (bad CRC, truncated data)
        zf.close()
        raise ArchiveInvalid(f"{path} is damaged: {error}.") from error
    except BackupError:
        zf.close()
        raise
    return ReadArchive(path=path, manifest=manifest, data=data, _zip=zf)


def _verify(zf: zipfile.ZipFile) -> dict:
    manifest = _json_member(zf, MANIFEST)
    if manifest.get("format") != FORMAT:
        raise ArchiveInvalid(
            f"This is not a bloc-year archive (format {manifest.get('format')!r})."
        )
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION or version < 1:
        raise ArchiveInvalid(
            f"Archive format version {version!r} is not supported here (this version reads "
            f"1 to {FORMAT_VERSION}); upgrade the application first."
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict) or DATA not in listed:
        raise ArchiveInvalid("The manifest does not list the archive's files.")
    present = set(zf.namelist()) - {MANIFEST}
    if unlisted := sorted(present - set(listed)):
        raise ArchiveInvalid(f"The archive holds files its manifest does not list: {unlisted[0]}.")
    for name, expected in sorted(listed.items()):
        if name not in present:
            raise ArchiveInvalid(f"{name} is listed in the manifest but missing.")
        sha256, size = _digest(zf, name)
        if (sha256, size) != (expected.get("sha256"), expected.get("size")):
            raise ArchiveInvalid(
                f"{name} does not match its checksum in the manifest: the archive is "
                "corrupt or was changed. Nothing was imported."
            )
    return manifest
