from django.urls import reverse
from django.utils import translation
from django.utils.html import escape


def vi(message: str) -> str:
    """The Vietnamese catalog's text for an English msgid, HTML-escaped.

    Fails if the catalog has no translation, so page tests prove both the
    behaviour and the translation.
    """
    with translation.override("vi"):
        translated = translation.gettext(message)
    assert translated != message, f"No Vietnamese translation for {message!r}"
    return escape(translated)


def log_in(client, *, username: str, password: str) -> bool:
    """Sign in through the login page, as a person does; True when it worked.

    ``Client.login()`` calls the authentication backends without a request, which
    the login throttle (django-axes, the first backend) refuses; tests that only
    need a signed-in user use ``client.force_login(user)``.
    """
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def cold() -> None:
    """Drop the cached fragments (members.caching), so that the next page is built from
    the database: what a query count compares, since a repeated read is served from the
    cache and the first one after a write is not. The test's earlier writes are settled
    first (the data version changed), so that the next page's queries are its own."""
    from django.core.cache import caches

    from members import caching

    caching.data_token()
    caches["fragments"].clear()
