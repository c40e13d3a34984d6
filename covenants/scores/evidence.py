"""Evidence files (minh chứng): what may be uploaded, how it is named and
stored, and who may download it. Validation lives here, once; the services
call :func:`check_upload` before anything is written.

Uploads come from many agencies' computers, so the file is not trusted:

- its type is allowed by extension *and* by its first bytes (an ``.exe``
  renamed ``.pdf`` is refused; a ``.docx`` must be a zip holding a Word
  document, an ``.odt`` a zip whose ``mimetype`` says so);
- the name shown and offered on download keeps the uploader's Vietnamese
  letters (NFC) but loses any path, control or bidi-override character,
  ``..`` and characters Windows cannot save; the *stored* name is a random
  token plus the safe extension, so a name never reaches the file system;
- files go to the ``private`` storage (never under ``MEDIA_ROOT``) and are
  streamed back by a view that checks the reader first.

Who may download: evidence is part of the self side of a sheet, so it is
visible to exactly those who may see the self-scores
(:func:`covenants.scores.visibility.visible_values`): the member itself, the
secretariat and the board once the sheet is submitted, and the reviewer only
once both sides are in. A blind reviewer could otherwise read the claimed
points off a document named "tự chấm 18 điểm"; one rule for values and files
is also the rule that cannot be applied wrongly.
"""

import re
import secrets
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

from ..models import Evidence, ScoreSheet
from .permissions import side_of
from .visibility import visible_values

__all__ = [
    "ALLOWED_EXTENSIONS",
    "CheckedFile",
    "can_download",
    "check_upload",
    "display_name",
    "evidence_response",
    "max_megabytes",
]

_PDF = b"%PDF-"
_JPEG = b"\xff\xd8\xff"
_PNG = b"\x89PNG\r\n\x1a\n"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 and Excel 97–2003
_ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument

#: extension → (content type, first bytes, what the zip must hold if a zip).
#: A zip's inner check is a member name (OOXML) or the ``mimetype`` member's
#: content (OpenDocument, prefixed "mimetype:").
_TYPES = {
    "pdf": ("application/pdf", _PDF, None),
    "jpg": ("image/jpeg", _JPEG, None),
    "jpeg": ("image/jpeg", _JPEG, None),
    "png": ("image/png", _PNG, None),
    "doc": ("application/msword", _OLE, None),
    "xls": ("application/vnd.ms-excel", _OLE, None),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ZIP,
        "word/document.xml",
    ),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ZIP,
        "xl/workbook.xml",
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        _ZIP,
        "mimetype:application/vnd.oasis.opendocument.text",
    ),
    "ods": (
        "application/vnd.oasis.opendocument.spreadsheet",
        _ZIP,
        "mimetype:application/vnd.oasis.opendocument.spreadsheet",
    ),
}

ALLOWED_EXTENSIONS = tuple(_TYPES)
#: For the file input's ``accept`` attribute.
ACCEPT = ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)

_MAX_NAME = 200  # Evidence.original_name
_UNSAFE = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed :func:`check_upload`."""

    name: str  # shown and offered on download
    stored_name: str  # random, what the storage sees
    extension: str
    content_type: str
    size: int


def max_megabytes() -> int:
    return max(1, settings.EVIDENCE_MAX_BYTES // (1024 * 1024))


def _extension(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def display_name(raw: str) -> str:
    """The uploaded name made safe to show and to offer on download.

    Keeps Vietnamese letters (normalised to NFC, the form Vietnamese
    keyboards on different systems disagree about) and drops everything that
    could move, hide or spoof a file: directories, control and format
    characters (bidi overrides), ``..`` and Windows-reserved characters.
    Returns "" when nothing is left.
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = " ".join(name.split()).strip(" .")
    if len(name) > _MAX_NAME:
        stem, dot, extension = name.rpartition(".")
        keep = _MAX_NAME - len(extension) - 1
        name = f"{stem[:keep].rstrip(' .')}.{extension}" if dot and keep > 0 else name[:_MAX_NAME]
    return name


def _type_error(extension: str) -> ValidationError:
    return ValidationError(
        _("Files of this type cannot be attached (%(extension)s). Allowed: %(allowed)s.")
        % {
            "extension": f".{extension}" if extension else _("no extension"),
            "allowed": ", ".join(e.upper() for e in ALLOWED_EXTENSIONS if e != "jpeg"),
        },
        code="type_not_allowed",
    )


def _zip_holds(file, expected: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            if expected.startswith("mimetype:"):
                with archive.open("mimetype") as member:
                    return member.read(100).decode("ascii", "replace").strip() == expected[9:]
            return expected in archive.namelist()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        return False


def _content_matches(file, extension: str) -> bool:
    _content_type, signature, inner = _TYPES[extension]
    file.seek(0)
    head = file.read(len(signature))
    matches = head == signature
    if matches and inner:
        file.seek(0)
        matches = _zip_holds(file, inner)
    file.seek(0)
    return matches


def check_upload(file) -> CheckedFile:
    """``file`` (an uploaded file) checked for size, type and content.

    Raises :class:`ValidationError` with one translated message; reads only
    the first bytes (and a zip's directory), never the whole file.
    """
    name = display_name(getattr(file, "name", "") or "")
    extension = _extension(name)
    if extension not in _TYPES:
        raise _type_error(extension)
    size = file.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(limit)s MB.") % {"limit": max_megabytes()},
            code="too_large",
        )
    if not _content_matches(file, extension):
        raise ValidationError(
            _("The file's content is not a %(extension)s file; it was not attached.")
            % {"extension": extension.upper()},
            code="content_mismatch",
        )
    return CheckedFile(
        name=name,
        stored_name=f"{secrets.token_hex(16)}.{extension}",
        extension=extension,
        content_type=_TYPES[extension][0],
        size=size,
    )


def can_download(user, sheet: ScoreSheet, *, published: bool, bloc_year=None) -> bool:
    """Whoever may see the sheet's self-scores (see the module docstring)."""
    side = side_of(user, sheet, bloc_year=bloc_year)
    return visible_values(
        side,
        self_submitted=sheet.self_submitted,
        review_submitted=sheet.review_submitted,
        published=published,
    ).self_values


def evidence_response(evidence: Evidence) -> FileResponse:
    """The file as a download, never displayed inline: an uploaded HTML or
    SVG smuggled past the checks still cannot run in the site's origin."""
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
