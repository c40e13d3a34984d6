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
