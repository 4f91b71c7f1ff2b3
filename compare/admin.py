"""Admin for figures: read-only rows (derived from section text) and an append-only correction
log through which an admin corrects or rejects a figure (compare.services)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from compare import services
from compare.models import CorrectionAction, FigureCorrection, Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Read-only: figures are derived from section text; corrections go through the log."""

    list_display = ["report", "key", "value", "unit", "section", "corrected", "correct_link"]
    list_filter = ["key", ("correction", admin.EmptyFieldListFilter)]
    list_select_related = ["report", "section", "correction"]
    search_fields = ["sentence", "report__title"]
    readonly_fields = ["report", "section", "key", "value", "unit", "sentence", "start", "end", "correction"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="人工更正", boolean=True)
    def corrected(self, obj):
        return obj.correction_id is not None

    @admin.display(description="操作")
    def correct_link(self, obj):
        url = reverse("admin:compare_figurecorrection_add") + f"?indicator={obj.pk}"
        return format_html('<a href="{}">更正或驳回</a>', url)


class FigureCorrectionForm(forms.ModelForm):
    indicator = forms.ModelChoiceField(
        label="指标数据（编号）", queryset=Indicator.objects.select_related("report", "section"),
        widget=forms.NumberInput, error_messages={"invalid_choice": "该指标数据不存在（可能已被驳回或重新提取）。"},
    )

    class Meta:
        model = FigureCorrection
        fields = ["indicator", "action", "value", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "action" not in self.fields:  # the change page of a record: everything read-only
            return
        self.fields["action"].choices = [
            (v, label) for v, label in CorrectionAction.choices if v != CorrectionAction.RESTORE
        ]
        self.fields["value"].help_text = "更正数值时必填；比率填百分数（如 40.7），金额以万元计。"
        self.fields["note"].help_text = "必填：为什么更正或驳回（例如“原文为26件，系代理案件”）。"

    def clean(self):
        data = super().clean()
        value = data.get("value")
        if data.get("action") == CorrectionAction.CORRECT and (value is None or value < 0):
            self.add_error("value", "请填写不小于 0 的更正值。")
        if "note" in data and not (data.get("note") or "").strip():
            self.add_error("note", "请填写更正或驳回的理由（审计记录需要）。")
        return data


@admin.register(FigureCorrection)
class FigureCorrectionAdmin(admin.ModelAdmin):
    """The audit: who changed which figure, from what to what, and why.  Never edited."""

    form = FigureCorrectionForm
    list_display = ["created_at", "report", "key", "action", "extracted_value", "value", "created_by", "applied"]
    list_filter = ["action", "key"]
    list_select_related = ["report", "created_by"]
    search_fields = ["sentence", "note", "report__title"]
    actions = ["restore_selected"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if str(request.GET.get("indicator", "")).isdigit():
            initial["indicator"] = int(request.GET["indicator"])
        return initial

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["indicator", "action", "value", "note"]
        return ["report", "key", "sentence", "occurrence", "section_path", "action", "extracted_value", "value",
                "note", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj) if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            record = services.figure_correct(
                indicator=form.cleaned_data["indicator"], action=form.cleaned_data["action"],
                value=form.cleaned_data.get("value"), note=form.cleaned_data.get("note", ""), user=request.user,
            )
        except ValidationError as exc:  # nothing was changed (the service is atomic)
            self.message_user(request, "；".join(exc.messages), level=messages.ERROR)
            raise
        obj.pk = record.pk
        obj.__dict__.update({k: v for k, v in record.__dict__.items() if not k.startswith("_")})

    @admin.display(description="已生效", boolean=True)
    def applied(self, obj):
        if obj.action == CorrectionAction.CORRECT:
            return Indicator.objects.filter(correction=obj).exists()
        return None

    @admin.action(description="恢复为自动提取值（记录在案）")
    def restore_selected(self, request, queryset):
        for record in queryset.exclude(action=CorrectionAction.RESTORE):
            services.figure_restore(correction=record, note=f"管理员恢复（记录 {record.pk}）", user=request.user)
        self.message_user(request, "已恢复为自动提取值。")
