from django.urls import path

from . import sheet_views, views
from .scores import urls as score_urls

app_name = "covenants"

prefix = "blocs/<int:pk>/<int:year>/covenant/"
sheet = "blocs/<int:pk>/<int:year>/scoring-sheet/"

urlpatterns = [
    path(prefix, views.CovenantDetailView.as_view(), name="detail"),
    path(f"{prefix}pdf/", views.CovenantPdfView.as_view(), name="pdf"),
    path(f"{prefix}documents/new/", views.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        f"{prefix}documents/<int:attachment>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(f"{prefix}new/", views.CovenantCreateView.as_view(), name="create"),
    path(f"{prefix}edit/", views.CovenantUpdateView.as_view(), name="edit"),
    path(f"{prefix}commitments/", views.CommitmentsView.as_view(), name="commitments"),
    path(f"{prefix}open/", views.CovenantOpenView.as_view(), name="open"),
    path(f"{prefix}sign/<int:agency>/", views.SignView.as_view(), name="sign"),
    path(f"{prefix}record/", views.RecordView.as_view(), name="record"),
    path(f"{prefix}reopen/", views.ReopenView.as_view(), name="reopen"),
    path(f"{sheet}", sheet_views.SheetDetailView.as_view(), name="sheet"),
    path(f"{sheet}xlsx/", sheet_views.SheetExportView.as_view(), name="sheet_export"),
    path(f"{sheet}pdf/", sheet_views.SheetPdfView.as_view(), name="sheet_pdf"),
    path(f"{sheet}<slug:action>/", sheet_views.SheetActionView.as_view(), name="sheet_action"),
]
urlpatterns += score_urls.urlpatterns
