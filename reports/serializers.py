from __future__ import annotations

from rest_framework import serializers

from reports.models import Region, RegionLevel, Report, Section


def jurisdiction_of(region: Region | None) -> dict:
    levels = {
        RegionLevel.PROVINCE: "province", RegionLevel.CITY: "city", RegionLevel.COUNTY: "county",
        RegionLevel.TOWN: "town",
    }
    data = {"id": None, "name": "", "code": "", "province": "", "city": "", "county": "", "town": ""}
    if region is None:
        return data
    data.update(id=region.pk, name=region.full_name, code=region.code)
    for node in region.ancestors():
        data[levels[node.level]] = node.name
    return data


class SectionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["id", "level", "number", "path", "heading", "text", "parent", "topic", "url"]

    def get_url(self, section: Section) -> str:
        return section.get_absolute_url()


class ReportSummarySerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "title", "year", "kind", "kind_label", "script", "published", "source_url",
            "jurisdiction", "reporting_body", "body_kind", "department", "url",
        ]

    def get_jurisdiction(self, report: Report) -> dict:
        return jurisdiction_of(report.region)

    def get_url(self, report: Report) -> str:
        return report.get_absolute_url()


class ReportDetailSerializer(ReportSummarySerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(ReportSummarySerializer.Meta):
        fields = ReportSummarySerializer.Meta.fields + [
            "title_generated", "checksum", "parse_warnings", "created_at", "updated_at", "sections",
        ]
