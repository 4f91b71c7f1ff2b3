"""Report filters shared by the browse pages and the API (region, year, year range, kind)."""

from __future__ import annotations

import django_filters

from reports.models import Region, Report, ReportKind


class ReportFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="地区（编号或名称）")
    year = django_filters.NumberFilter(field_name="year", label="年度")
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label="起始年度")
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label="截止年度")
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label="类型")

    class Meta:
        model = Report
        fields = ["region", "year", "year_from", "year_to", "kind"]

    def filter_region(self, queryset, name, value):
        # Selecting a province includes every city, county and town under it.
        return queryset.in_any_region(Region.objects.matching(value))
