from django.urls import path

from .views import blocs, dashboard, deadlines, people, years

app_name = "blocs"

urlpatterns = [
    path("", dashboard.home, name="home"),
    path("province/<slug:code>/", dashboard.ProvinceDashboardView.as_view(), name="province"),
    path("province/<slug:code>/blocs/new/", blocs.BlocCreateView.as_view(), name="bloc_create"),
    path(
        "province/<slug:code>/bloc-members-<int:year>.xlsx",
        dashboard.BlocMembersExportView.as_view(),
        name="export_bloc_members",
    ),
    path("province/<slug:code>/agencies/merge/", people.AgencyMergeView.as_view(), name="merge"),
    path(
        "province/<slug:code>/deadlines/",
        deadlines.ProvinceDeadlinesView.as_view(),
        name="province_deadlines",
    ),
    path(
        "blocs/<int:pk>/<int:year>/deadlines/",
        deadlines.YearDeadlinesView.as_view(),
        name="year_deadlines",
    ),
    path("agencies/<int:pk>/", dashboard.AgencyOverviewView.as_view(), name="agency"),
    path("agencies/<int:pk>/rename/", people.AgencyRenameView.as_view(), name="rename"),
    path(
        "people/<int:pk>/invite/",
        people.SecretariatInvitationSendView.as_view(),
        name="invite",
    ),
    path(
        "blocs/<int:pk>/<int:year>/secretariat/add/",
        people.DelegationGrantView.as_view(),
        name="delegation_grant",
    ),
    path(
        "blocs/<int:pk>/<int:year>/secretariat/<int:delegation>/revoke/",
        people.DelegationRevokeView.as_view(),
        name="delegation_revoke",
    ),
    path("blocs/<int:pk>/", blocs.BlocDetailView.as_view(), name="bloc"),
    path("blocs/<int:pk>/edit/", blocs.BlocUpdateView.as_view(), name="bloc_update"),
    path("blocs/<int:pk>/years/new/", blocs.BlocYearCreateView.as_view(), name="year_create"),
    path("blocs/<int:pk>/<int:year>/", years.BlocYearOverviewView.as_view(), name="year"),
    path("blocs/<int:pk>/<int:year>/edit/", years.BlocYearUpdateView.as_view(), name="year_update"),
    path("blocs/<int:pk>/<int:year>/officers/", years.OfficersView.as_view(), name="officers"),
    path(
        "blocs/<int:pk>/<int:year>/members/add/",
        years.MembershipAddView.as_view(),
        name="membership_add",
    ),
    path(
        "blocs/<int:pk>/<int:year>/members/<int:membership>/",
        years.MembershipUpdateView.as_view(),
        name="membership_update",
    ),
    path(
        "blocs/<int:pk>/<int:year>/members/<int:membership>/remove/",
        years.MembershipRemoveView.as_view(),
        name="membership_remove",
    ),
    path(
        "blocs/<int:pk>/<int:year>/stage/<slug:transition>/",
        years.TransitionView.as_view(),
        name="transition",
    ),
]
