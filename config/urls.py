from django.contrib import admin
from django.urls import include, path

from compare.urls import api_urlpatterns as compare_api_urlpatterns
from config.health import healthz
from search.views import search_api

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/search/", search_api, name="api-search"),
    path("api/", include(compare_api_urlpatterns)),
    path("api/", include("reports.api_urls")),
    path("compare/", include("compare.urls")),
    path("search/", include("search.urls")),
    path("", include("research.urls")),
    path("", include("reports.urls")),
]
