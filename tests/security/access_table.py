"""The declared access table: every named URL of the project → what each role gets.

Gathered from one module per area (``access_members``, ``access_blocs``,
``access_covenants``, ``access_scores``, ``access_awards``) in the vocabulary of
:mod:`.access`. ``tests/security/test_access_matrix.py`` requests every URL the URLconf
names, as every role, and compares with this table; a URL without an entry fails there.
"""

from . import access_awards, access_blocs, access_covenants, access_members, access_scores
from .access import Entry

#: Named URLs that are the framework's, not ours: Django's admin (its own permission
#: system), the login and logout pages, the pages after a reset, the language switch.
FRAMEWORK_NAMESPACES = frozenset({"admin"})
FRAMEWORK = frozenset(
    {"login", "logout", "password_reset_done", "password_reset_complete", "set_language"}
)


def _merge(*parts) -> dict[str, Entry]:
    table = {}
    for part in parts:
        overlap = table.keys() & part.ENTRIES.keys()
        assert not overlap, f"Declared twice: {sorted(overlap)}"
        table.update(part.ENTRIES)
    return table


TABLE: dict[str, Entry] = _merge(
    access_members, access_blocs, access_covenants, access_scores, access_awards
)
