"""All compare routes.  Mount in config/urls.py:

path("compare/", include("compare.urls")),           # urlpatterns, namespace "compare"
path("api/", include(compare_urls.api_urlpatterns)), # names "api-compare", "api-indicators", …
"""

from django.urls import path

from compare import api, views

app_name = "compare"

urlpatterns = [
    path("", views.compare_page, name="start"),
    path("figures.csv", views.figures_csv, name="figures-csv"),
    path("figures/", views.figures_table_page, name="figures-table"),
    path("figures/table.csv", views.figures_table_csv, name="figures-table-csv"),
    path("selection/", views.selection_update, name="selection"),
]

api_urlpatterns = [
    path("compare/", api.compare_api, name="api-compare"),
    path("reports/<int:pk>/indicators/", api.indicators_api, name="api-indicators"),
    path("figures/", api.figures_table_api, name="api-figures-table"),
]
