from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.urls import path

from reports import services, staging
from reports.forms import DraftForm, UploadForm
from reports.ingest import IngestError
from reports.models import Region, Report, Section

admin.site.site_header = "法治政府报告库 · 管理"
admin.site.site_title = "法治政府报告库"
admin.site.index_title = "管理"


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["tree_path"]


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["path", "number", "heading", "topic", "topic_overridden"]
    readonly_fields = ["path", "number", "heading", "topic", "topic_overridden"]
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["order"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "year", "kind", "script", "created_at", "created_by"]
    list_filter = ["kind", "script", "year", "region__level"]
    search_fields = ["title", "region__name", "checksum"]
    autocomplete_fields = ["region"]
    date_hierarchy = "created_at"
    inlines = [SectionInline]
    readonly_fields = [
        "checksum", "file_checksum", "original_file", "original_filename", "original_format",
        "original_encoding", "parse_warnings", "locked_fields", "title_generated",
        "created_at", "created_by", "updated_at", "updated_by",
    ]
    fieldsets = [
        (None, {"fields": [
            "title", "title_generated", "kind", "region", "year", "published", "script", "source_url",
        ]}),
        ("原文", {"fields": ["original_text"]}),
        ("来源与校验", {"fields": [
            "original_file", "original_filename", "original_format", "original_encoding", "checksum",
            "file_checksum",
        ]}),
        ("解析与审计", {"fields": [
            "parse_warnings", "locked_fields", "created_at", "created_by", "updated_at", "updated_by",
        ]}),
    ]

    change_list_template = "admin/reports/report/change_list.html"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_urls(self):
        custom = [
            path("upload/", self.admin_site.admin_view(self.upload_view), name="reports_report_upload"),
            path("upload/<str:token>/", self.admin_site.admin_view(self.preview_view), name="reports_report_preview"),
        ]
        return custom + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        # Reports are only created from a file or pasted text, through the upload preview.
        return redirect("admin:reports_report_upload")

    def upload_view(self, request):
        """Step 1: files or pasted text are staged, nothing is saved yet."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = staging.stage_files(form.staged_payload(), user_id=request.user.pk)
            return redirect("admin:reports_report_preview", token=token)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta, "title": "上传报告"}
        return render(request, "admin/reports/upload.html", context)

    def preview_view(self, request, token):
        """Step 2: what the parser made of each file; correct metadata, then save or cancel."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        try:
            staged = staging.load_batch(token, user_id=request.user.pk)
        except KeyError:
            messages.error(request, "上传批次不存在或已过期，请重新上传。")
            return redirect("admin:reports_report_upload")
        if request.method == "POST" and "cancel" in request.POST:
            staging.discard_batch(token)
            messages.info(request, "已取消，未保存任何内容。")
            return redirect("admin:reports_report_changelist")

        items = [self._preview_item(request, staged_file) for staged_file in staged]
        if request.method == "POST" and all(item["form"] is None or item["form"].is_valid() for item in items):
            saved = self._save_items(request, items)
            if all(item["done"] for item in items if item["form"] is not None):
                staging.discard_batch(token)
                if len(saved) == 1:
                    return redirect("admin:reports_report_change", saved[0].pk)
                return redirect("admin:reports_report_changelist")
        context = {
            **self.admin_site.each_context(request), "items": items, "opts": self.model._meta,
            "title": "确认导入", "token": token,
        }
        return render(request, "admin/reports/preview.html", context)

    def _preview_item(self, request, staged_file) -> dict:
        item = {"file": staged_file, "draft": None, "error": "", "duplicate": None, "form": None, "done": False}
        try:
            ingested = staging.ingest_once(staged_file)  # parsed once per staged file, then kept
            draft = services.draft_from_text(
                ingested=ingested, file_checksum=staged_file.checksum, filename=staged_file.filename
            )
        except IngestError as exc:
            item["error"] = exc.message
            return item
        item["draft"] = draft
        item["duplicate"] = services.find_duplicate(draft.checksum)
        if item["duplicate"] is None:
            prefix = f"f{staged_file.index}"
            data = request.POST if request.method == "POST" else None
            item["form"] = DraftForm(data, prefix=prefix, initial=DraftForm.initial_from_draft(draft))
        return item

    def _save_items(self, request, items) -> list[Report]:
        saved = []
        for item in items:
            form = item["form"]
            if form is None:
                continue
            if not form.cleaned_data["save"]:
                item["done"] = True
                continue
            try:
                report = services.report_import(
                    draft=item["draft"], data=item["file"].data, uploaded_by=request.user,
                    overrides=form.overrides(),
                    confirm_unstructured=form.cleaned_data["confirm_unstructured"],
                )
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
                continue
            item["done"] = True
            saved.append(report)
            self.log_addition(request, report, f"上传文件「{item['file'].filename}」")
            messages.success(
                request, f"已保存《{report.title}》（{report.sections.count()} 个章节），检索索引将随即更新。"
            )
        return saved

    def save_model(self, request, obj, form, change):
        """Edits go through services: metadata is locked against re-parsing, text re-parsed."""
        if not change:
            obj.created_by = obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            return
        metadata = {k: form.cleaned_data[k] for k in services.EDITABLE_METADATA if k in form.changed_data}
        original = Report.objects.get(pk=obj.pk)
        try:
            if "original_text" in form.changed_data:
                services.report_replace_text(
                    report=original, text=form.cleaned_data["original_text"], user=request.user
                )
                original.refresh_from_db()
            if metadata:
                services.report_update_metadata(report=original, changes=metadata, user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))

    def delete_model(self, request, obj):
        services.report_delete(report=obj)

    def delete_queryset(self, request, queryset):
        for report in queryset:
            services.report_delete(report=report)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "level", "topic", "topic_overridden"]
    list_filter = ["level", "topic", "topic_overridden"]
    search_fields = ["heading", "report__title"]
    readonly_fields = ["report", "parent", "level", "number", "path", "heading", "text", "order", "topic_overridden"]
    fields = ["report", "parent", "level", "number", "path", "heading", "text", "order", "topic", "topic_overridden"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "topic" in form.changed_data:
            services.section_set_topic(section=obj, topic=form.cleaned_data["topic"])
