"""A database error in a view becomes a clear page, not a server error.

The services write inside ``transaction.atomic``: when the database refuses a
write half-way (a constraint, a trigger, a lost connection, a deadlock), the
transaction is rolled back and nothing of the request is kept. What is left
is telling the person so: a 503 page in their language saying that nothing
was saved and that they may try again, and a log line with the request for
the operators. The page is rendered without the request's context
processors, which would query the database that has just failed.
"""

import logging

from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("config.faults")

TEMPLATE = "503_database.html"


class DatabaseErrorMiddleware:
    """Turns a ``DatabaseError`` raised by a view into the 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        user = getattr(request, "user", None)
        logger.error(
            "Database error on %s %s (user %s): nothing was saved",
            request.method,
            request.path,
            getattr(user, "pk", None),
            exc_info=exception,
        )
        language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
        with translation.override(language):
            html = render_to_string(TEMPLATE, {"LANGUAGE_CODE": language, "method": request.method})
        response = HttpResponse(html, status=503)
        # A moment is usually enough (a lock released, a connection back).
        response["Retry-After"] = "5"
        return response
