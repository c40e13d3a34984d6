from django import forms

from .models import Agency


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
