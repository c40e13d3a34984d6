from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Agency, User


class ProvinceLockedFormMixin:
    """Show the province but never take it from the user.

    The province belongs in the form (as a disabled field) rather than being
    set on the instance behind its back: Django validates a constraint only
    when the form has all its fields, and "an active name once per province"
    must be explained next to the field, not fail in the database.
    """

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        if province is not None:
            self.initial["province"] = province.pk
            self.fields["province"].disabled = True
        elif self.instance.pk is not None:
            self.fields["province"].disabled = True


class AgencyForm(ProvinceLockedFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["province", "code", "name", "short_name", "kind", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Editing in place would rewrite past years' names; a rename from a
            # date creates a successor instead (blocs:rename).
            for name in ("code", "name"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "To change this from a date, use “Rename” on the agency's page, "
                    "so past years keep the old name."
                )

    def clean_code(self):
        # Import files match codes case-insensitively; store one spelling.
        return self.cleaned_data["code"].upper()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "position", "email", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["email"].required = True


class OfficialForm(forms.ModelForm):
    """One official added by hand; bulk changes go through the Excel import."""

    class Meta:
        model = User
        fields = ["full_name", "position", "agency_role", "email", "phone", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "email", "agency_role"):
            self.fields[name].required = True


class LocalizedPasswordResetForm(PasswordResetForm):
    """Send the reset email in the person's own language, not the requester's."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with translation.override(context["user"].preferred_language or settings.LANGUAGE_CODE):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
