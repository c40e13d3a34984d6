"""Vietnamese unless the user chose otherwise.

Django's LocaleMiddleware would follow the browser's Accept-Language, and
many office browsers send English; the product speaks Vietnamese first. The
order is: the switcher's cookie on this device, then the signed-in person's
preferred language, then Vietnamese.
"""

from django.conf import settings
from django.utils import translation


class PreferredLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if language not in self.supported and user is not None and user.is_authenticated:
            language = user.preferred_language
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response
