"""The project's named URLs, walked from the URLconf, and how a response reads as an
outcome of the access table (:mod:`.access`)."""

from dataclasses import dataclass
from urllib.parse import urlparse

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from .access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT
from .access_table import FRAMEWORK, FRAMEWORK_NAMESPACES


@dataclass(frozen=True)
class NamedUrl:
    name: str  # with its namespaces: "covenants:evidence"
    route: str  # the whole route: "blocs/<int:pk>/<int:year>/…"
    arguments: tuple[str, ...]  # the keyword arguments of the whole route
    view: object  # the view class, or the function

    @property
    def takes_post(self) -> bool:
        """A class-based view with a ``post`` handler (functions declare it in the table)."""
        view = self.view
        return isinstance(view, type) and hasattr(view, "post") and "post" in view.http_method_names


def _converters(pattern) -> tuple[str, ...]:
    return tuple(getattr(pattern.pattern, "converters", {}))


def _walk(resolver, namespace, prefix, arguments, found, unnamed):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in FRAMEWORK_NAMESPACES:
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            _walk(pattern, inner, route, arguments + _converters(pattern), found, unnamed)
        elif isinstance(pattern, URLPattern):
            if not pattern.name:
                unnamed.append(route)
                continue
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if name in FRAMEWORK or name in found:
                continue  # reverse() answers the first route of a name
            callback = pattern.callback
            view = getattr(callback, "view_class", callback)
            found[name] = NamedUrl(name, route, arguments + _converters(pattern), view)


def named_urls() -> dict[str, NamedUrl]:
    """Every named URL of the project, the framework's left out."""
    found, unnamed = {}, []
    _walk(get_resolver(), "", "", (), found, unnamed)
    return found


def unnamed_urls() -> list[str]:
    """Routes without a name (which the access table could not list)."""
    found, unnamed = {}, []
    _walk(get_resolver(), "", "", (), found, unnamed)
    return unnamed


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        login = resolve_url(settings.LOGIN_URL)
        return LOGIN if urlparse(response.url).path == login else REDIRECT
    known = {200: OK, 403: FORBIDDEN, 404: NOT_FOUND}
    return known.get(code, f"HTTP {code}")


def matches(got: str, expected: str, *, method: str) -> bool:
    """A POST the user may make either shows the form again (200) or redirects."""
    if method == "post" and expected == OK:
        return got in (OK, REDIRECT)
    return got == expected
