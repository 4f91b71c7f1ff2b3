from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.report_list, name="list"),
    path("regions/suggest/", views.region_suggest, name="region-suggest"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/s/<str:path>/", views.section_detail, name="section"),
]
