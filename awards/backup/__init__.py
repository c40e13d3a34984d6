"""Backup of one bloc-year: a portable archive and back (``export_blocyear``,
``import_blocyear``).

It lives in ``awards``, the top of the dependency chain, because a bloc-year's rows span
every app. Modules:

- :mod:`~awards.backup.graph`: which rows belong to a bloc-year and how to reach them,
  declared once, in dependency order (and what is deliberately left out);
- :mod:`~awards.backup.archive`: the ZIP container, its manifest and checksums;
- :mod:`~awards.backup.export`: rows, shared references and files to an archive;
- :mod:`~awards.backup.importer`, :mod:`~awards.backup.references`,
  :mod:`~awards.backup.remap`: back into a database, all or nothing, with new keys.
"""

from .archive import ArchiveInvalid, BackupError, ImportRefused
from .export import ExportSummary, export_bloc_year
from .importer import ImportSummary, check_archive, import_bloc_year

__all__ = [
    "ArchiveInvalid",
    "BackupError",
    "ExportSummary",
    "ImportRefused",
    "ImportSummary",
    "check_archive",
    "export_bloc_year",
    "import_bloc_year",
]
