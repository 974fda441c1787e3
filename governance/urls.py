"""URL routes: the API, the admin, and language switching."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from governance.api import api

urlpatterns = [
    path("", RedirectView.as_view(url="/api/docs", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
