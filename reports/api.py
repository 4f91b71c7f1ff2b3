from rest_framework import viewsets

from reports.models import Report


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Report.objects.all()
