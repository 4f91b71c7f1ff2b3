from django.urls import include, path
from rest_framework.routers import DefaultRouter

from reports import api

router = DefaultRouter()
router.register("reports", api.ReportViewSet, basename="report")

urlpatterns = [
    path("", include(router.urls)),
]
