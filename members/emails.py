"""Emails to people, each in the person's own language."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_to_person(user, *, subject_template: str, body_template: str, context: dict) -> None:
    """Render the subject and body in ``user.preferred_language`` and send."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "user": user, "site_name": "Thi đua"}
        subject = "".join(render_to_string(subject_template, context).splitlines())
        body = render_to_string(body_template, context)
    EmailMessage(subject=subject, body=body, to=[user.email]).send()
