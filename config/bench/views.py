"""The floor: the cheapest page the site could serve, as the yardstick of the others.

It goes through the whole middleware stack like every page, and a signed-in request
loads its session and user there (``PreferredLanguageMiddleware`` reads the person's
language), so the floor pays what every page of the site pays before its own work: the
session and user queries, CSRF, CSP, messages, history, the language. Its own work is a
template of one line. ``/healthz/`` was not used: it skips the session (no cookie sent,
or it answers the same anonymous JSON whatever the cookie) and adds a query of its own.
"""

from django.http import HttpResponse
from django.template import engines

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>floor</title><p>{{ user.get_username }}</p>"
)


def floor(request):
    """Without the request, the template runs no context processor (the navigation
    bar's query belongs to the pages that show it)."""
    return HttpResponse(_TEMPLATE.render({"user": request.user}))
