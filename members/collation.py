"""Vietnamese alphabetical order, identical on SQLite and PostgreSQL.

Agency lists must sort the way a Vietnamese reader expects: Đ is a letter of
its own after D, Ă/Â follow A, Ê follows E, Ô/Ơ follow O, Ư follows U, and
tone marks only break ties (ngang < huyền < hỏi < ngã < sắc < nặng).

PostgreSQL gets an ICU collation named ``vi`` in a migration; SQLite gets a
Python collation with the same name on every new connection, built on
:func:`sort_key`. Querysets then order with ``Collate("name", "vi")`` and
never care which database they run on.
"""

import unicodedata
from functools import lru_cache

from django.db.backends.signals import connection_created
from django.dispatch import receiver

COLLATION_NAME = "vi"

# The Vietnamese alphabet in order, with f, j, w, z for foreign words.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET, start=1)}
# In NFD the six "shaped" vowels are a base letter plus a combining mark; they
# are letters of their own. Tone marks only rank: ngang, huyền, hỏi, ngã, sắc, nặng.
_SHAPED = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """Yield (primary rank, tone rank) for each base letter of ``text``."""
    base, tone = None, 0
    for char in unicodedata.normalize("NFD", text.casefold()):
        if unicodedata.combining(char):
            if char in _TONE_RANK:
                tone = _TONE_RANK[char]
            elif base is not None:
                base = _SHAPED.get((base, char), base)
            continue
        if base is not None:
            yield _rank(base), tone
        base, tone = char, 0
    if base is not None:
        yield _rank(base), tone


def _rank(char: str) -> tuple[int, int]:
    """Spaces, then punctuation and symbols, then digits, then letters (as ICU)."""
    if char in _LETTER_RANK:
        return (3, _LETTER_RANK[char])
    if char.isdigit():
        return (2, int(char))
    if char.isspace():
        return (0, 0)
    return (1, ord(char))


@lru_cache(maxsize=8192)
def sort_key(text: str) -> tuple:
    """Return a key that orders ``text`` in Vietnamese alphabetical order.

    Memoized: SQLite calls it for both sides of every comparison of an ``ORDER BY``
    (and lists sort in Python with it), over the same few thousand agency names.

    Letters compare first over the whole string; tones only break ties, then
    case, so "Sở Y tế" and "Sở y tế" stay stable neighbours.
    """
    letters = list(_letters(text or ""))
    return (
        tuple(rank for rank, _tone in letters),
        tuple(tone for _rank_, tone in letters),
        text or "",
    )


def compare(left: str, right: str) -> int:
    """Three-way comparison in the shape SQLite's create_collation wants."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


@receiver(connection_created)
def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION_NAME, compare)
