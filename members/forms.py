from django import forms

from .models import Agency


class AgencyForm(forms.ModelForm):
    """Agency data entry; the province comes from the board member's province."""

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind", "is_active"]


class AgencyAdminForm(AgencyForm):
    """A site admin (who belongs to no province) picks the province."""

    class Meta(AgencyForm.Meta):
        fields = ["province", *AgencyForm.Meta.fields]
