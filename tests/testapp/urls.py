from django.urls import path

from governance.urls import urlpatterns as platform_urls
from tests.testapp.api import api

urlpatterns = [*platform_urls, path("test-api/", api.urls)]
