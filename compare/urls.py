"""All compare routes.  Mount in config/urls.py:

path("compare/", include("compare.urls")),           # urlpatterns, namespace "compare"
path("api/", include(compare_urls.api_urlpatterns)), # names "api-compare", "api-indicators"
"""

from django.urls import path

from compare import api, views

app_name = "compare"

urlpatterns = [
    path("", views.compare_page, name="start"),
    path("figures.csv", views.figures_csv, name="figures-csv"),
    path("selection/", views.selection_update, name="selection"),
]

api_urlpatterns = [
    path("compare/", api.compare_api, name="api-compare"),
    path("reports/<int:pk>/indicators/", api.indicators_api, name="api-indicators"),
]
