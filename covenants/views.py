"""Covenant pages: read, draft, open, sign, record, reopen, PDF.

Every view loads the bloc-year through ``blocs.views.mixins.BlocYearMixin``
(visibility checked there) and calls exactly one service for a change.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.stages import Stage
from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import pdf_response
from members import audit
from members.models import Agency

from . import documents, permissions, selectors, services
from .forms import (
    AttachmentForm,
    CommitmentFormSet,
    CovenantForm,
    RecordForm,
    ReopenForm,
    SignForm,
)
from .fragments import fragment_pieces
from .issuing import registered_number


class _CovenantMixin(BlocYearMixin):
    #: How the covenant is read: a page that only shows it may take the cached copy.
    read_covenant = staticmethod(selectors.covenant_for_page)

    @property
    def covenant(self):
        if not hasattr(self, "_covenant"):
            self._covenant = self.read_covenant(self.bloc_year)
        return self._covenant

    def require_covenant(self):
        if self.covenant is None:
            raise Http404
        return self.covenant


class CovenantDetailView(_CovenantMixin, TemplateView):
    """The covenant, its signatures and what the viewer may do with it.

    Issue 9: the body is one fragment under the data version (:mod:`members.caching`),
    and the covenant the permission checks read is cached too
    (:func:`.selectors.cached_covenant_for_page`). Besides the data and the language,
    the body depends on the viewer only through :meth:`standing`. Its forms (create,
    open for signing) carry the request's CSRF token, so it is kept in pieces around
    the token (:mod:`.fragments`). It shows no date relative to today."""

    template_name = "covenants/covenant_detail.html"
    read_covenant = staticmethod(selectors.cached_covenant_for_page)

    def standing(self, rows) -> dict:
        """Everything about the viewer that the body shows, and nothing else: the
        secretariat's and the board's buttons, and the agency a leader may sign for."""
        user, bloc_year, covenant = self.request.user, self.bloc_year, self.covenant
        can_draft = permissions.can_draft_covenant(user, bloc_year)
        my_agency_row = next(
            (
                r
                for r in rows
                if covenant
                and r.signature is None
                and permissions.can_sign_for(user, covenant, r.agency)
            ),
            None,
        )
        return {
            "audit_history_url": audit.history_url(user, covenant, scope=bloc_year),
            "can_create": covenant is None and can_draft,
            "can_edit": covenant is not None and covenant.is_draft and can_draft,
            "can_open": covenant is not None
            and covenant.is_draft
            and can_draft
            and bloc_year.stage == Stage.SIGNING,
            "can_record": covenant is not None
            and permissions.can_record_signatures(user, covenant),
            "can_reopen": covenant is not None and permissions.can_reopen(user, covenant),
            "my_agency_row": my_agency_row,
        }

    def get_context_data(self, **kwargs):
        rows = selectors.signature_rows(self.covenant, self.bloc_year)
        standing = self.standing(rows)
        my_row = standing["my_agency_row"]
        parts = {**standing, "my_agency_row": my_row.agency.pk if my_row else None}
        body = fragment_pieces(
            "covenants.covenant_detail",
            (self.bloc_year.pk, *sorted(parts.items())),
            lambda csrf_token: self.render_body(rows, standing, csrf_token),
        )
        return super().get_context_data(body=body, **kwargs)

    def render_body(self, rows, standing: dict, csrf_token: str) -> str:
        bloc_year, covenant = self.bloc_year, self.covenant
        context = {
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "covenant": covenant,
            "registered_number": registered_number(bloc_year, "covenant") if covenant else "",
            "covenant_pdf_url": reverse("covenants:pdf", args=[bloc_year.bloc_id, bloc_year.year])
            if covenant
            else None,
            "groups": selectors.group_commitments(covenant) if covenant else [],
            "rows": rows,
            "signed_count": sum(1 for r in rows if r.signature),
            "csrf_token": csrf_token,
            **standing,
        }
        return render_to_string(f"{self.template_name}#body", context)


class CovenantPdfView(_CovenantMixin, View):
    def get(self, request, *args, **kwargs):
        covenant = self.require_covenant()
        filename = f"Giao ước thi đua {self.bloc_year.bloc.name} {self.bloc_year.year}.pdf"
        # Signed: the issued (numbered, cached) covenant; a draft is rendered each time.
        issued = documents.issue_covenant(covenant, request.user)
        if issued is not None:
            return pdf_response(issued.read_bytes(), filename)
        return pdf_response(documents.covenant_pdf(self.bloc_year), filename)


class CovenantCreateView(_CovenantMixin, View):
    http_method_names = ["post"]
    permission = staticmethod(permissions.can_draft_covenant)

    def post(self, request, *args, **kwargs):
        try:
            services.covenant_create(
                bloc_year=self.bloc_year,
                actor=request.user,
                copy_previous="copy" in request.POST,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("covenants:detail", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)


class CovenantUpdateView(_CovenantMixin, FormView):
    form_class = CovenantForm
    template_name = "covenants/covenant_form.html"
    permission = staticmethod(permissions.can_draft_covenant)

    def get_form_kwargs(self):
        covenant = self.require_covenant()
        fresh = type(covenant).objects.get(pk=covenant.pk)  # a rejected form alters nothing
        return {**super().get_form_kwargs(), "instance": fresh}

    def form_valid(self, form):
        try:
            services.covenant_update(
                covenant=self.covenant, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The covenant was saved."))
        return redirect(self.covenant)


class CommitmentsView(_CovenantMixin, FormView):
    form_class = CommitmentFormSet
    template_name = "covenants/commitments_form.html"
    permission = staticmethod(permissions.can_draft_covenant)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def get_initial(self):
        return [
            {"group": c.group, "text": c.text} for c in self.require_covenant().commitments.all()
        ]

    def form_valid(self, formset):
        rows = [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.commitments_replace(
                covenant=self.covenant, actor=self.request.user, commitments=rows
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(self.request, " ".join(getattr(exc, "messages", [str(exc)])))
            return self.form_invalid(formset)
        messages.success(self.request, _("The commitments were saved."))
        return redirect(self.covenant)

    def get_context_data(self, **kwargs):
        return super().get_context_data(covenant=self.covenant, **kwargs)


class CovenantOpenView(_CovenantMixin, View):
    http_method_names = ["post"]
    permission = staticmethod(permissions.can_draft_covenant)

    def post(self, request, *args, **kwargs):
        try:
            services.covenant_open(covenant=self.require_covenant(), actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The covenant is open for signing."))
        return redirect(self.covenant)


class SignView(_CovenantMixin, FormView):
    """A leader signs for their own agency after reading the covenant."""

    form_class = SignForm
    template_name = "covenants/sign_confirm.html"

    def permission(self, user, bloc_year):
        # Looked up past the login check (BlocYearMixin), so that an anonymous visitor
        # is sent to log in whatever the id and cannot probe which agencies exist.
        self.agency = get_object_or_404(Agency, pk=self.kwargs["agency"])
        return self.covenant is not None and permissions.can_sign_for(
            user, self.covenant, self.agency
        )

    def form_valid(self, form):
        try:
            services.covenant_sign(
                covenant=self.covenant, agency=self.agency, actor=self.request.user
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Your agency has signed the covenant."))
        return redirect(self.covenant)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            covenant=self.covenant,
            agency=self.agency,
            groups=selectors.group_commitments(self.covenant),
            **kwargs,
        )


class RecordView(_CovenantMixin, FormView):
    form_class = RecordForm
    template_name = "covenants/record_form.html"

    def permission(self, user, bloc_year):
        return self.covenant is not None and permissions.can_record_signatures(user, self.covenant)

    def get_form_kwargs(self):
        agencies = services.unsigned_agencies(self.covenant)
        return {**super().get_form_kwargs(), "agencies": agencies}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["kind"] == RecordForm.KIND_PAPER:
                services.signature_record_paper(
                    covenant=self.covenant,
                    agency=data["agency"],
                    actor=self.request.user,
                    signer_name=data["signer_name"],
                    signer_title=data["signer_title"],
                )
            else:
                services.signature_record_unable(
                    covenant=self.covenant,
                    agency=data["agency"],
                    actor=self.request.user,
                    reason=data["reason"],
                )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded."))
        return redirect(self.covenant)

    def get_context_data(self, **kwargs):
        return super().get_context_data(covenant=self.covenant, **kwargs)


class ReopenView(_CovenantMixin, FormView):
    form_class = ReopenForm
    template_name = "covenants/reopen_form.html"

    def permission(self, user, bloc_year):
        return self.covenant is not None and permissions.can_reopen(user, self.covenant)

    def form_valid(self, form):
        try:
            services.covenant_reopen(
                covenant=self.covenant, actor=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The covenant is a draft again; its signatures were voided.")
        )
        return redirect(self.covenant)

    def get_context_data(self, **kwargs):
        return super().get_context_data(covenant=self.covenant, **kwargs)


class AttachmentAddView(_CovenantMixin, FormView):
    form_class = AttachmentForm
    template_name = "covenants/attachment_form.html"
    permission = staticmethod(permissions.can_draft_covenant)

    def form_valid(self, form):
        try:
            services.attachment_add(
                covenant=self.require_covenant(), actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The document was attached."))
        return redirect(self.covenant)


class AttachmentDownloadView(_CovenantMixin, View):
    """Served through Django so the same visibility rules apply as for the page."""

    def get(self, request, *args, **kwargs):
        attachment = get_object_or_404(
            self.require_covenant().attachments.all(), pk=kwargs["attachment"]
        )
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.file.name.rsplit("/", 1)[-1],
        )
