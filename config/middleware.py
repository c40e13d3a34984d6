"""Project middleware: the language choice and the Content-Security-Policy header.

Vietnamese unless the user chose otherwise: Django's LocaleMiddleware would
follow the browser's Accept-Language, and many office browsers send English;
the product speaks Vietnamese first. The order is: the switcher's cookie on this
device, then the signed-in person's preferred language, then Vietnamese.
"""

from django.conf import settings
from django.middleware import csp
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


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, for HTML pages only.

    A policy governs what a document may load; on a PDF shown inline it is applied
    to the browser's own viewer instead (Chromium's and Firefox's viewers draw with
    inline styles and scripts), which then shows a blank or cut page. Downloads,
    JSON and files carry no markup to protect, so only text/html gets the header.
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
