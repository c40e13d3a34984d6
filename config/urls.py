from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from members.urls import account_urlpatterns
from members.views import accounts, history, verify

from .views import healthz, set_language

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/", include((account_urlpatterns, "accounts"))),
    path("agencies/", include("members.urls")),
    # Audit history of any audited object (members.audit), e.g. history/covenants.scoreline/12/.
    path(
        "history/<str:model>/<int:pk>/",
        history.ObjectHistoryView.as_view(),
        name="object_history",
    ),
    # Public: the QR code of an issued document links here (members.documents).
    path("verify/<uuid:token>/", verify.VerifyView.as_view(), name="verify_document"),
    path("", include("covenants.urls")),
    path("", include("awards.urls")),
    path("", include("blocs.urls")),
]

if settings.DEBUG:
    # Preview the error pages while developing.
    urlpatterns += [
        path("errors/403/", TemplateView.as_view(template_name="403.html")),
        path("errors/404/", TemplateView.as_view(template_name="404.html")),
        path("errors/500/", TemplateView.as_view(template_name="500.html")),
    ]
