"""The public verification page of an issued document (domain rule 30).

Anyone holding a printed or e-mailed copy reaches it through the QR code, without an
account: it shows what the register says about the document (title, number and symbol,
date, issuing agency, SHA-256, size) and nothing else, no votes, scores or names beyond
the title. A file uploaded here is hashed and compared, never stored. Unknown tokens are
a 404, and a token is a random UUID, so the register cannot be walked.
"""

from django import forms
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from ..documents import current_issue
from ..models import IssuedDocument
from ..verification import verify_upload

#: Larger than any generated dossier; a bigger upload cannot be one of ours.
MAX_VERIFY_BYTES = 50 * 1024 * 1024


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Your copy of the file"),
        help_text=gettext_lazy("The file is only read to compute its fingerprint; it is not kept."),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s: it is not this document.")
                % {"size": filesizeformat(MAX_VERIFY_BYTES)}
            )
        return file


class VerifyView(FormView):
    """Public: no login, no permission; the token is the only key."""

    form_class = VerifyUploadForm
    template_name = "members/verify.html"

    def dispatch(self, request, *args, **kwargs):
        self.issued = get_object_or_404(
            IssuedDocument.objects.select_related("entry__agency"), token=kwargs["token"]
        )
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        matches = verify_upload(self.issued, form.cleaned_data["file"])
        return self.render_to_response(
            self.get_context_data(form=VerifyUploadForm(), matches=matches, checked=True)
        )

    def get_context_data(self, **kwargs):
        entry = self.issued.entry
        latest = current_issue(entry)
        kwargs.update(
            issued=self.issued,
            entry=entry,
            superseded_by=latest if latest and latest.pk != self.issued.pk else None,
        )
        return super().get_context_data(**kwargs)
