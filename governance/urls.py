"""URL routes: the web pages, the API, the admin, and language switching."""

from django.contrib import admin
from django.urls import include, path

from governance.api import api

urlpatterns = [
    path("", include("governance.web.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Error pages in the site's look and language (the API answers its own errors in JSON).
handler403 = "governance.web.views.permission_denied"
