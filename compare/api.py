"""Read-only JSON for comparisons: GET /api/compare/?reports=… and /api/reports/<id>/indicators/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from compare import grid, selection
from compare.models import Indicator
from compare.selection import SelectionError
from reports.models import Report
from reports.serializers import ReportSummarySerializer


@extend_schema(
    summary="并排对比几份报告",
    description="按主题对齐所选报告的章节；缺少或无效的 reports 参数返回 400 和中文 error。",
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    parameters=[
        OpenApiParameter(
            "reports", OpenApiTypes.STR, required=True,
            description=(
                f"要对比的报告编号，{selection.MIN_REPORTS}–{selection.MAX_REPORTS} 个，用逗号分隔"
                "（如 reports=3,7），也可重复参数（reports=3&reports=7）。"
            ),
        )
    ],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def compare_api(request):
    try:
        reports = selection.load_reports(selection.parse_report_ids(request.GET.getlist("reports")))
    except SelectionError as exc:
        return Response({"error": str(exc)}, status=400)
    return Response(
        {
            "reports": ReportSummarySerializer(reports, many=True).data,
            "rows": grid.grid_payload(reports),
        }
    )


@api_view(["GET"])
@permission_classes([AllowAny])
def indicators_api(request, pk: int):
    report = get_object_or_404(Report.objects.only("pk"), pk=pk)
    # The section's path and link only, not its text once per figure (see grid.load_indicators).
    rows = (
        Indicator.objects.filter(report=report)
        .with_section()
        .defer("section__text")
        .order_by("section__order", "start", "key")
    )
    return Response(
        [
            {
                "key": i.key,
                "label": i.label,
                "value": float(i.value),
                "unit": i.unit,
                "sentence": i.sentence,
                "section": i.section_id,
                "section_path": i.section.path,
                "section_url": i.section.get_absolute_url(),
            }
            for i in rows
        ]
    )
