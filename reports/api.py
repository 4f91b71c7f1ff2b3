"""Read-only JSON API over reports (writes go through the admin and reports/services)."""

from rest_framework import viewsets

from reports.filters import ReportFilter
from reports.models import Report
from reports.serializers import ReportDetailSerializer, ReportSummarySerializer


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = ReportFilter

    def get_queryset(self):
        queryset = Report.objects.with_region().order_by("-year", "pk")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("sections")
        return queryset

    def get_serializer_class(self):
        return ReportDetailSerializer if self.action == "retrieve" else ReportSummarySerializer
