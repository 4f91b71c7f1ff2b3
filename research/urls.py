"""All research routes (included at the site root, before reports.urls)."""

from django.urls import path

from research import api, feeds, views

app_name = "research"

urlpatterns = [
    # Export of a search (same query string as /search/)
    path("search/export.csv", views.export_csv, name="export-csv"),
    path("search/export.jsonl", views.export_jsonl, name="export-jsonl"),
    # Term trends and coverage
    path("trends/", views.trends_page, name="trends"),
    path("api/trends/", api.TrendsAPIView.as_view(), name="api-trends"),
    path("coverage/", views.coverage_page, name="coverage"),
    path("coverage.csv", views.coverage_csv, name="coverage-csv"),
    path("api/coverage/", api.coverage_api, name="api-coverage"),
    # Citations and originals
    path("reports/<int:pk>/cite.<str:fmt>", views.report_cite, name="report-cite"),
    path("reports/<int:pk>/s/<str:path>/cite.<str:fmt>", views.section_cite, name="section-cite"),
    path("reports/<int:pk>/original", views.report_original, name="original"),
    # Compliance checklist and timeliness: rates, drill-down, per-report CSV and API
    path("compliance/", views.compliance_page, name="compliance"),
    path("compliance.csv", views.compliance_csv, name="compliance-csv"),
    path("timeliness/", views.timeliness_page, name="timeliness"),
    path("api/reports/<int:pk>/instruments/", api.ReportInstrumentsAPIView.as_view(), name="api-report-instruments"),
    path("api/instruments/", api.instruments_api, name="api-instruments"),
    # Feeds
    path("feeds/reports/", feeds.NewReportsFeed(), name="feed-reports"),
    path("feeds/search/", feeds.SearchFeed(), name="feed-search"),
    # Bulk data and API documentation
    path("data/reports.jsonl.gz", views.data_download, name="data-dump"),
    path("api/schema/", api.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", api.api_docs, name="api-docs"),
]
