from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from compare.urls import api_urlpatterns as compare_api_urlpatterns
from config.health import healthz
from research.api import api_home
from search.views import search_api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without <link rel=icon> (the admin's).
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("img/favicon.svg"))),
    path("admin/", admin.site.urls),
    path("api/", api_home, name="api-home"),
    path("api/search/", search_api, name="api-search"),
    path("api/", include(compare_api_urlpatterns)),
    path("api/", include("reports.api_urls")),
    path("compare/", include("compare.urls")),
    path("search/", include("search.urls")),
    path("", include("research.urls")),
    path("", include("reports.urls")),
]
