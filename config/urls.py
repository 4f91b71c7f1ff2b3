from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from search.views import search_api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/search/", search_api, name="api-search"),
    path("api/", include("reports.api_urls")),
    path("search/", include("search.urls")),
    path("", include("reports.urls")),
]
