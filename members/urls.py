from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.AgencyListView.as_view(), name="list"),
    path("new/", views.AgencyCreateView.as_view(), name="create"),
    path("<int:pk>/edit/", views.AgencyUpdateView.as_view(), name="update"),
]
