"""Cached page bodies that hold POST forms: kept without their CSRF token.

Issue 9: the covenant and scores pages keep their body as a fragment under the data
version (:mod:`members.caching`), but some bodies hold a form in the middle of a table
or a heading (open the missing sheets of a period, open the covenant for signing),
whose ``{% csrf_token %}`` belongs to one request and must never be cached. Cutting the
template around each form would scatter one page over many partials; instead the body
is rendered once with a random, unguessable stand-in for the token, cut at each hidden
input that carries it, and the *pieces* are cached. Each request joins them again with
its own ``{% csrf_token %}`` (the page template loops over the pieces), so the page is
byte for byte what rendering it whole gave, and the cache never holds a token — nor the
stand-in, which is new for every render and thrown away.
"""

import secrets
from collections.abc import Callable

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from members import caching

__all__ = ["fragment_pieces"]


def _csrf_input(token: str) -> str:
    """The hidden input as Django's ``{% csrf_token %}`` writes it (``CsrfTokenNode``)."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _pieces(render: Callable[[str], str]) -> list[str]:
    stand_in = secrets.token_hex(16)
    pieces = str(render(stand_in)).split(_csrf_input(stand_in))
    if any(stand_in in piece for piece in pieces):  # Django wrote the input differently
        raise RuntimeError("the CSRF input was not found where the token was written")
    return pieces


def fragment_pieces(name: str, parts: tuple, render: Callable[[str], str]) -> list[SafeString]:
    """The HTML of ``render(csrf_token)`` cut at each CSRF input, cached as
    :func:`members.caching.remember` does (``parts``: everything the body depends on
    besides the data and the language). ``render`` gets the token to give the template
    as ``csrf_token``, renders without the request, and the page prints the pieces with
    ``{% csrf_token %}`` between each two."""
    return [mark_safe(piece) for piece in caching.remember(name, parts, lambda: _pieces(render))]
