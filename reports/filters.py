"""Report filters shared by the browse pages and the API (region, year, year range, kind, and
who reports: a government or one of its departments)."""

from __future__ import annotations

import django_filters

from reports.models import BodyKind, Report, ReportKind
from reports.region_lookup import lookup_region


class ReportFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(method="filter_region", label="地区（编号或名称）")
    year = django_filters.NumberFilter(field_name="year", label="年度")
    year_from = django_filters.NumberFilter(field_name="year", lookup_expr="gte", label="起始年度")
    year_to = django_filters.NumberFilter(field_name="year", lookup_expr="lte", label="截止年度")
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label="类型")
    body_kind = django_filters.ChoiceFilter(choices=BodyKind.choices, label="报告主体", empty_label="全部")

    class Meta:
        model = Report
        fields = ["region", "year", "year_from", "year_to", "kind", "body_kind"]

    def filter_region(self, queryset, name, value):
        # Selecting a province includes every city, county and town under it.  An ambiguous
        # input (城区) keeps every candidate (the page offers the choice); an unknown one
        # matches nothing rather than silently showing everything.
        found = lookup_region(value)
        if found.region is not None:
            return queryset.in_region(found.region)
        return queryset.in_any_region(found.candidates)
