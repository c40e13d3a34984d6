"""The registry of spreadsheet importers, one per ``ImportKind``.

Upload, preview and confirm are one flow in ``members`` for every kind;
each app registers the functions for the kinds it owns (``blocs`` registers
the bloc-members importer in its ``ready()``), so ``members`` never imports
an app above it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Importer:
    kind: str
    #: (content, province) -> ImportPlan; reads only
    plan: Callable
    #: (content, province, actor) -> (ImportPlan, newly created users)
    apply: Callable
    #: () -> bytes of an empty workbook in the documented layout
    template: Callable
    template_name: str


_IMPORTERS: dict[str, Importer] = {}


def register_importer(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def get_importer(kind: str) -> Importer:
    return _IMPORTERS[kind]
