"""The board's province-wide dossier: ask for it, watch it being built, download it.

The page shows the latest bundle of a year. While it is queued or running the page reloads
itself every few seconds (a ``<meta http-equiv="refresh">``, no script) and shows the
progress bloc by bloc; once ready, a download button with the size and SHA-256; after a
failure, the error and a button to try again. Building happens in the background worker
(:mod:`awards.tasks`), never in the request. The province's board only (403 for anyone
else, another province's board included).
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from members.models import Province
from members.permissions import is_board_for

from .. import board_selectors, bundles
from ..models import ProvinceDossier
from .board import PREFIX, _BoardMixin

#: Seconds between two reloads of the page while the bundle is being built.
REFRESH_SECONDS = 3


class ProvinceDossierView(_BoardMixin, TemplateView):
    template_name = "awards/board/province_dossier.html"

    def get_context_data(self, **kwargs):
        page = bundles.province_dossier_page(province=self.province, year=self.year)
        latest = page.latest
        return super().get_context_data(
            page=page,
            latest=latest,
            refresh_seconds=REFRESH_SECONDS if latest is not None and latest.is_active else None,
            # The bar's width comes from a class (static/css/progress.css): no inline style.
            progress_step=latest.percent // 5 * 5 if latest is not None else 0,
            # A known error (awards.tasks, awards.bundles) in the reader's language.
            error=_(latest.error) if latest is not None and latest.error else "",
            years=board_selectors.province_years(self.province),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        _dossier, created = bundles.request_province_dossier(
            actor=request.user, province=self.province, year=self.year
        )
        if created:
            messages.success(
                request,
                _(
                    "The province's dossier for %(year)s is queued: this page shows its "
                    "progress until it is ready."
                )
                % {"year": self.year},
            )
        else:
            messages.info(
                request,
                _("The province's dossier for %(year)s is already being built.")
                % {"year": self.year},
            )
        return redirect("awards:province_dossier", code=self.province.code, year=self.year)


class ProvinceDossierDownloadView(_BoardMixin, View):
    def load(self, **kwargs):
        self.dossier = get_object_or_404(
            ProvinceDossier.objects.select_related("province"),
            pk=kwargs["pk"],
            province=self.province,
            year=self.year,
        )

    def get(self, request, *args, **kwargs):
        try:
            return bundles.province_dossier_response(dossier=self.dossier, actor=request.user)
        except bundles.BundleNotReady:
            raise Http404 from None


class ProvinceDossierIndexView(LoginRequiredMixin, View):
    """``provinces/<code>/dossier/``: to the year the board most likely wants (that of its
    latest bundle), so the dashboard's link lands on something to download."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.province = get_object_or_404(Province, code=kwargs["code"])
        if not is_board_for(request.user, self.province.pk):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        year = bundles.default_year(self.province)
        return redirect("awards:province_dossier", code=self.province.code, year=year)


urlpatterns = [
    path(
        "provinces/<slug:code>/dossier/",
        ProvinceDossierIndexView.as_view(),
        name="province_dossier_latest",
    ),
    path(f"{PREFIX}dossier/", ProvinceDossierView.as_view(), name="province_dossier"),
    path(
        f"{PREFIX}dossier/<int:pk>/download/",
        ProvinceDossierDownloadView.as_view(),
        name="province_dossier_download",
    ),
]
