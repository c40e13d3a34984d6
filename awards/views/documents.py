"""Conference pages: minutes, counting minutes, submission, summary report, achievement reports.

The four PDFs are read by the secretariat and the board at any time and
by the members once the results are confirmed
(:func:`awards.documents.can_view_documents`); a missing conference record
is a 404. ``report_edit`` is the secretariat's form for the summary
report's texts and the documents' numbers.

``achievement`` is the page of one nominee's report: every step (draft
from the year's data, save the text, upload the signed copy, check,
return) is a POST naming its ``action``, which calls exactly one service;
a service's ``ValidationError`` goes next to the field it names and the
page is shown again with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from blocs.views.mixins import BlocYearMixin, add_service_error
from config.pdf import ascii_filename, pdf_response

from .. import achievements as services
from .. import dossier
from ..documents import (
    can_edit_report,
    can_view_documents,
    conference_for_documents,
    document_filename,
    summary_report_save,
)
from ..documents_achievement import achievement_pdf
from ..documents_minutes import counting_pdf, minutes_pdf
from ..documents_report import report_pdf
from ..documents_submission import submission_pdf
from ..forms_documents import (
    AchievementActionForm,
    AchievementReturnForm,
    AchievementTextForm,
    AchievementUploadForm,
    SummaryReportForm,
)
from ..models import (
    AchievementReport,
    AwardProposal,
    Conference,
    ReportStatus,
)

PREFIX = "blocs/<int:pk>/<int:year>/"


# The conference's documents -------------------------------------------------------------


class _DocumentView(BlocYearMixin, View):
    """One PDF of the conference; ``build`` takes the bloc-year and the conference.

    Once the results are confirmed the document is an issued one: numbered in the chair
    agency's register, fingerprinted, QR-coded and cached (:mod:`awards.dossier`); a
    draft stays unnumbered and is rendered on every request."""

    build = None
    words = ""
    name = ""  # the document's name in awards.issued.DOCUMENTS

    def get(self, request, *args, **kwargs):
        conference = conference_for_documents(self.bloc_year)
        if conference is None:
            raise Http404
        if not can_view_documents(request.user, self.bloc_year, conference):
            raise PermissionDenied
        filename = document_filename(self.words, self.bloc_year)
        issued = dossier.issue_document(self.name, self.bloc_year, request.user, conference)
        if issued is not None:
            return pdf_response(issued.read_bytes(), filename)
        content = type(self).build(self.bloc_year, conference)
        return pdf_response(content, filename)


class MinutesPdfView(_DocumentView):
    build = staticmethod(minutes_pdf)
    words = "Biên bản họp bình xét thi đua"
    name = "minutes"


class CountingPdfView(_DocumentView):
    build = staticmethod(counting_pdf)
    words = "Biên bản kiểm phiếu"
    name = "counting"


class SubmissionPdfView(_DocumentView):
    build = staticmethod(submission_pdf)
    words = "Tờ trình đề nghị khen thưởng"
    name = "submission"


class ReportPdfView(_DocumentView):
    build = staticmethod(report_pdf)
    words = "Báo cáo tổng kết thi đua"
    name = "report"


class DossierView(BlocYearMixin, View):
    """The year's dossier as a ZIP (awards.dossier.dossier_zip): the secretariat and the
    province's board, once the results are confirmed (404 before)."""

    def permission(self, user, bloc_year):
        return dossier.can_download_dossier(user, bloc_year)

    def get(self, request, *args, **kwargs):
        try:
            content = dossier.dossier_zip(self.bloc_year, request.user)
        except dossier.DossierNotReady:
            raise Http404 from None
        filename = ascii_filename(
            f"Hồ sơ đề nghị khen thưởng {self.bloc_year.bloc.name} {self.bloc_year.year}.zip"
        )
        response = HttpResponse(content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class ReportEditView(BlocYearMixin, FormView):
    """The secretariat writes the report's texts and the documents' numbers
    until the proposals are submitted."""

    form_class = SummaryReportForm
    template_name = "awards/report_edit.html"
    permission = staticmethod(can_edit_report)

    @cached_property
    def conference(self) -> Conference | None:
        return Conference.objects.filter(bloc_year=self.bloc_year).first()

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.conference or Conference(bloc_year=self.bloc_year),
        }

    def form_valid(self, form):
        try:
            summary_report_save(
                bloc_year=self.bloc_year, actor=self.request.user, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("The summary report and the numbers were saved."))
        return redirect("awards:report_edit", pk=self.bloc_year.bloc_id, year=self.bloc_year.year)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            conference=self.conference,
            can_view_documents=self.conference is not None,
            **kwargs,
        )


# Achievement reports ---------------------------------------------------------------------


class _ProposalMixin(BlocYearMixin):
    def permission(self, user, bloc_year):
        self.proposal = get_object_or_404(
            AwardProposal.objects.select_related("agency"),
            pk=self.kwargs["proposal"],
            bloc_year=bloc_year,
        )
        self.proposal.bloc_year = bloc_year
        return services.can_view_achievement(user, bloc_year, self.proposal)

    @property
    def report(self) -> AchievementReport | None:
        if not hasattr(self, "_report"):
            self._report = (
                AchievementReport.objects.select_related("uploaded_by", "checked_by")
                .filter(proposal=self.proposal)
                .first()
            )
            if self._report is not None:
                self._report.proposal = self.proposal
        return self._report


#: action → (form class, what the success message says).
_ACTIONS = {
    "draft": (
        AchievementActionForm,
        gettext_lazy("The report was drafted from the year's records."),
    ),
    "save": (AchievementTextForm, gettext_lazy("The report was saved.")),
    "upload": (AchievementUploadForm, gettext_lazy("The signed copy was uploaded.")),
    "check": (AchievementActionForm, gettext_lazy("The report is checked.")),
    "return": (AchievementReturnForm, gettext_lazy("The report was returned to the unit.")),
}


class AchievementView(_ProposalMixin, TemplateView):
    template_name = "awards/achievement.html"

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in _ACTIONS:
            raise Http404
        form_class, message = _ACTIONS[action]
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                self._perform(action, form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, str(message))
                return redirect(
                    "awards:achievement",
                    pk=self.bloc_year.bloc_id,
                    year=self.bloc_year.year,
                    proposal=self.proposal.pk,
                )
        # The forms without fields (draft, check) show their errors at the page's top.
        errors = form.non_field_errors() if action in ("draft", "check") else []
        return self.render_to_response(
            self.get_context_data(**{f"{action}_form": form, "action_errors": errors})
        )

    def _perform(self, action: str, data: dict) -> None:
        actor, report = self.request.user, self.report
        if action == "draft":
            services.achievement_draft(proposal=self.proposal, actor=actor)
            return
        if report is None:
            raise ValidationError(_("Draft the report first."))
        if action == "save":
            services.achievement_update(report=report, actor=actor, text=data["text"])
        elif action == "upload":
            services.achievement_upload_signed(report=report, actor=actor, file=data["file"])
        elif action == "check":
            services.achievement_check(report=report, actor=actor)
        else:
            services.achievement_return(report=report, actor=actor, reason=data["reason"])

    def get_context_data(self, **kwargs):
        user, bloc_year, report = self.request.user, self.bloc_year, self.report
        status = report.status if report else None
        can_write = services.can_write(user, bloc_year, self.proposal)
        can_check = services.can_check(user, bloc_year)
        kwargs.setdefault(
            "save_form", AchievementTextForm(initial={"text": report.text if report else ""})
        )
        kwargs.setdefault("upload_form", AchievementUploadForm())
        kwargs.setdefault("return_form", AchievementReturnForm())
        # URL kwargs (``proposal``: the id) arrive in ``kwargs``; the page's win.
        kwargs.update(
            proposal=self.proposal,
            report=report,
            can_draft=can_write and status in (None, ReportStatus.DRAFT),
            can_edit=can_write and status == ReportStatus.DRAFT,
            can_upload=can_write and status in (ReportStatus.DRAFT, ReportStatus.UPLOADED),
            can_check=can_check and status == ReportStatus.UPLOADED,
            can_return=can_check and status in (ReportStatus.UPLOADED, ReportStatus.CHECKED),
            events=services.achievement_events(self.proposal),
        )
        return super().get_context_data(**kwargs)


class AchievementPdfView(_ProposalMixin, View):
    def get(self, request, *args, **kwargs):
        if self.report is None:
            raise Http404
        filename = document_filename(
            f"Báo cáo thành tích {self.proposal.agency.name}", self.bloc_year
        )
        issued = dossier.issue_achievement(self.report, request.user)
        if issued is not None:
            return pdf_response(issued.read_bytes(), filename)
        return pdf_response(achievement_pdf(self.report), filename)


class AchievementFileView(_ProposalMixin, View):
    """The signed copy: the unit, the secretariat and the board only."""

    def get(self, request, *args, **kwargs):
        if self.report is None or not self.report.signed_file:
            raise Http404
        return services.signed_file_response(self.report)


urlpatterns = [
    path(f"{PREFIX}conference/minutes.pdf", MinutesPdfView.as_view(), name="minutes_pdf"),
    path(
        f"{PREFIX}conference/counting-minutes.pdf",
        CountingPdfView.as_view(),
        name="counting_pdf",
    ),
    path(f"{PREFIX}proposals/dossier.zip", DossierView.as_view(), name="dossier"),
    path(f"{PREFIX}proposals/submission.pdf", SubmissionPdfView.as_view(), name="submission_pdf"),
    path(f"{PREFIX}conference/summary-report.pdf", ReportPdfView.as_view(), name="report_pdf"),
    path(f"{PREFIX}conference/summary-report/", ReportEditView.as_view(), name="report_edit"),
    path(
        f"{PREFIX}proposals/<int:proposal>/achievement/",
        AchievementView.as_view(),
        name="achievement",
    ),
    path(
        f"{PREFIX}proposals/<int:proposal>/achievement.pdf",
        AchievementPdfView.as_view(),
        name="achievement_pdf",
    ),
    path(
        f"{PREFIX}proposals/<int:proposal>/achievement/signed/",
        AchievementFileView.as_view(),
        name="achievement_file",
    ),
]
