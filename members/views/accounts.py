"""Signing in without shared passwords: invitation links, password reset,
and each person's own profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from .. import services
from ..forms import LocalizedPasswordResetForm, ProfileForm
from ..tokens import invitation_token_generator


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The invited person chooses a password and is signed in at once."""

    token_generator = invitation_token_generator
    template_name = "registration/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "members.backends.UserBackend"
    success_url = reverse_lazy("blocs:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Welcome! Your password is set."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = LocalizedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


class ProfileView(LoginRequiredMixin, FormView):
    form_class = ProfileForm
    template_name = "members/profile_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.request.user}

    def form_valid(self, form):
        user = services.profile_update(user=self.request.user, data=form.cleaned_data)
        messages.success(self.request, _("Your profile was saved."))
        response = redirect("accounts:profile")
        # The chosen language applies at once, on this device too; the cookie has the same
        # attributes as the language switch's (HttpOnly, SameSite, Secure in production).
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
