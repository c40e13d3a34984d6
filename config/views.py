"""Project-level views that belong to no app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST


@never_cache
@require_GET
def healthz(request):
    """200 after a database round-trip; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_POST
def set_language(request):
    """Django's language switch, remembered on the person's profile too, so
    their next login (and their emails) use the same language."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=user.pk).update(preferred_language=language)
    return response
