"""Read-only JSON for comparisons: /api/compare/?reports=…, /api/reports/<id>/indicators/, /api/figures/."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from compare import figure_table, grid, selection
from compare.figures import INDICATOR_KEYS
from compare.models import Indicator
from compare.selection import SelectionError
from reports.models import Report
from reports.serializers import ReportSummarySerializer


@extend_schema(
    summary="并排对比几份报告",
    description=(
        "按主题对齐所选报告的章节（rows），以及不同地区报告之间的疑似横向移植（copies：共有的、在本库中少见的文字；"
        "开篇套话、引用的文件标题和多个地区都有的句子不计；shared 为逐字相同的句子及本库中含此句的地区数，"
        "other_bodies 为最少见的共有句另有几个地区含有，按它排序）。缺少或无效的 reports 参数返回 400 和中文 error。"
    ),
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
            "copies": grid.copies_payload(reports),
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
                "corrected": i.correction_id is not None,
            }
            for i in rows
        ]
    )


@extend_schema(
    summary="一项指标：各报告主体 × 年度",
    description=(
        "所选地区（含下级）法治政府建设年度报告中某一指标的数值，每个报告主体一行、每年一格。"
        "source：stated（报告原文）、corrected（管理员更正，有审计记录）、computed（报告未写比率，由同一章节的"
        "分子、分母计算，formula 给出算式）；computed 非空时为报告同时写出分子分母时的计算值，"
        "mismatch 表示与报告所写比率不符（相差超过 0.55 个百分点，或分子大于分母）。"
        "参数无效时忽略并在 warnings 中说明。"
    ),
    responses={200: OpenApiTypes.OBJECT},
    parameters=[
        OpenApiParameter("indicator", OpenApiTypes.STR, enum=list(INDICATOR_KEYS),
                         description="指标代码，默认 admin_litigation_cases"),
        OpenApiParameter("region", OpenApiTypes.STR, description="地区：名称、路径（江苏>苏州）、区划代码或编号"),
        OpenApiParameter("from", OpenApiTypes.INT, description="起始年度"),
        OpenApiParameter("to", OpenApiTypes.INT, description="截止年度"),
    ],
)
@api_view(["GET"])
@permission_classes([AllowAny])
def figures_table_api(request):
    params = figure_table.params_from_querydict(request.GET)
    table = figure_table.cross_table(params)
    rows = figure_table.csv_rows(table, request.build_absolute_uri)
    for row in rows:
        row["value"] = float(row["value"])
        row["computed"] = float(row["computed"]) if row["computed"] != "" else None
        row["mismatch"] = bool(row["mismatch"])
    return Response({
        "indicator": params.key, "label": params.label, "unit": params.unit,
        "region": params.region.full_name if params.region else None,
        "years": table.years, "truncated": table.truncated, "warnings": params.warnings, "cells": rows,
    })
