from django.urls import path

from .views import accounts, agencies, imports, people

app_name = "members"

urlpatterns = [
    path("", agencies.AgencyListView.as_view(), name="list"),
    path("new/", agencies.AgencyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", agencies.AgencyUpdateView.as_view(), name="update"),
    path("<int:pk>/officials/new/", people.OfficialCreateView.as_view(), name="official_create"),
    path("import/", imports.ImportUploadView.as_view(), name="import"),
    path("import/<int:pk>/", imports.ImportPreviewView.as_view(), name="import_preview"),
    path("import/<int:pk>/file/", imports.ImportFileView.as_view(), name="import_file"),
    path("import/<int:pk>/apply/", imports.ImportApplyView.as_view(), name="import_apply"),
    path(
        "import/template/<slug:kind>/",
        imports.TemplateDownloadView.as_view(),
        name="import_template",
    ),
    path("export/people.xlsx", imports.PeopleExportView.as_view(), name="export_people"),
    path("people/<int:pk>/deactivate/", people.DeactivateView.as_view(), name="deactivate"),
    path("people/<int:pk>/reactivate/", people.ReactivateView.as_view(), name="reactivate"),
]

# Mounted under /accounts/ by config.urls.
account_urlpatterns = [
    path("profile/", accounts.ProfileView.as_view(), name="profile"),
    path(
        "invitation/<uidb64>/<token>/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
