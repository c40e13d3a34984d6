"""The site's URLs plus the floor page, for ``config.settings.bench`` only."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

from .views import floor

FLOOR_PATH = "/bench/floor/"

urlpatterns = [path(FLOOR_PATH.strip("/") + "/", floor, name="bench_floor"), *site_urlpatterns]
