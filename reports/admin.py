import mimetypes

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from reports import hooks, services, staging
from reports.forms import DraftForm, UploadForm
from reports.ingest import IngestedText, IngestError
from reports.models import Region, Report, Section, SourceDocument

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


# The change page lists this many sections (a report can have 20,000); the rest are one
# click away in the section list filtered by report.
SECTIONS_ON_CHANGE_PAGE = 100


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "year", "kind", "script", "created_at", "created_by"]
    list_filter = ["kind", "script", "year", "region__level"]
    search_fields = ["title", "region__name", "checksum"]
    autocomplete_fields = ["region"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "sections_overview", "checksum", "file_checksum", "original_file_link", "original_filename", "original_format",
        "original_encoding", "parse_warnings", "locked_fields", "title_generated",
        "ocr_engine", "ocr_confidence", "fetched_at", "captures_overview", "versions_overview",
        "created_at", "created_by", "updated_at", "updated_by",
    ]
    fieldsets = [
        (None, {"fields": [
            "title", "title_generated", "kind", "region", "year", "published", "script", "source_url",
        ]}),
        ("原文", {"fields": ["original_text"]}),
        ("章节", {"fields": ["sections_overview"]}),
        ("来源与校验", {"fields": [
            "original_file_link", "original_filename", "original_format", "original_encoding", "checksum",
            "file_checksum", "ocr_engine", "ocr_confidence", "fetched_at", "captures_overview",
            "versions_overview",
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
            path("<int:pk>/original/", self.admin_site.admin_view(self.original_view), name="reports_report_original"),
            path(
                "<int:pk>/diff/<int:other_pk>/", self.admin_site.admin_view(self.version_diff_view),
                name="reports_report_version_diff",
            ),
            path(
                "<int:pk>/capture/<int:capture_pk>/warc/", self.admin_site.admin_view(self.warc_view),
                name="reports_report_warc",
            ),
        ]
        return custom + super().get_urls()

    @admin.display(description="章节")
    def sections_overview(self, obj):
        if not obj.pk:
            return "（无）"
        fields = ("pk", "report_id", "path", "number", "heading", "topic")
        rows = list(obj.sections.order_by("order").only(*fields)[:SECTIONS_ON_CHANGE_PAGE])
        total = obj.sections.count()
        items = format_html_join(
            "", '<li><a href="{}">{} {}</a> <small>{}</small></li>',
            (
                (reverse("admin:reports_section_change", args=[s.pk]), s.path, s.heading or s.number,
                 hooks.topic_label(s.topic))
                for s in rows
            ),
        )
        listing = reverse("admin:reports_section_changelist") + f"?report__id__exact={obj.pk}"
        more = f"（共 {total} 个章节，此处列出前 {len(rows)} 个）" if total > len(rows) else f"（共 {total} 个章节）"
        return format_html(
            '<ol class="section-overview">{}</ol><p><a href="{}">全部章节</a>{}</p>', items, listing, more
        )

    @admin.display(description="原始文件")
    def original_file_link(self, obj):
        # MEDIA_URL is not served (originals are not public files): link to the staff view.
        if not obj.pk or not obj.original_file:
            return "（无）"
        url = reverse("admin:reports_report_original", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_filename or obj.original_file.name)

    @admin.display(description="抓取记录 (WARC)")
    def captures_overview(self, obj):
        if not obj.pk:
            return "（无）"
        rows = [
            (
                c.get_role_display(), c.final_url, c.final_url, c.fetched_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
                c.status, c.checksum[:16], reverse("admin:reports_report_warc", args=[obj.pk, c.pk]),
            )
            for c in obj.captures.all()
        ]
        if not rows:
            return "（无：不是从网址导入的）"
        row = '<li>{}：<a href="{}" rel="noreferrer">{}</a> · {} · HTTP {} · SHA-256 {}… · <a href="{}">WARC</a></li>'
        items = format_html_join("", row, rows)
        return format_html('<ul class="captures">{}</ul>', items)

    @admin.display(description="来源版本")
    def versions_overview(self, obj):
        doc = obj.source_document if obj.pk else None
        if doc is None:
            return "（无：不是采集得到的）"
        versions = list(doc.reports.order_by("fetched_at", "pk").only("pk", "title", "fetched_at"))
        rows = []
        for number, version in enumerate(versions, start=1):
            when = version.fetched_at.strftime("%Y-%m-%d %H:%M") if version.fetched_at else "—"
            link = reverse("admin:reports_report_change", args=[version.pk])
            diff = ""
            if number > 1:
                diff_url = reverse("admin:reports_report_version_diff", args=[versions[number - 2].pk, version.pk])
                diff = format_html(' · <a href="{}">与上一版本比较</a>', diff_url)
            current = "（本版本）" if version.pk == obj.pk else ""
            rows.append((number, link, when, current, diff))
        items = format_html_join("", '<li>第 {} 版：<a href="{}">{}</a>{}{}</li>', rows)
        gone = ""
        if doc.gone_since:
            seen = doc.last_seen.strftime("%Y-%m-%d") if doc.last_seen else "—"
            gone = format_html(
                '<p class="source-gone">来源网页已失效：{} 起无法访问（最后可访问 {}）。</p>',
                doc.gone_since.strftime("%Y-%m-%d"), seen,
            )
        return format_html('<ol class="versions">{}</ol>{}', items, gone)

    def version_diff_view(self, request, pk, other_pk):
        """Line diff between two versions of one harvested source."""
        from reports.harvest import version_diff

        old = Report.objects.filter(pk=pk).first()
        new = Report.objects.filter(pk=other_pk).first()
        if old is None or new is None or not self.has_view_permission(request, new):
            raise Http404("报告不存在。")
        if old.source_document_id is None or old.source_document_id != new.source_document_id:
            raise Http404("两份报告不是同一来源的版本。")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": "版本比较",
            "old": old, "new": new, "lines": version_diff(old.original_text, new.original_text),
        }
        return render(request, "admin/reports/version_diff.html", context)

    def warc_view(self, request, pk, capture_pk):
        """One capture's WARC record (ISO 28500), for staff who may view the report."""
        report = Report.objects.defer("original_text").filter(pk=pk).first()
        if report is None or not self.has_view_permission(request, report):
            raise Http404("报告不存在。")
        capture = report.captures.filter(pk=capture_pk).first()
        if capture is None or not capture.warc_file:
            raise Http404("抓取记录不存在。")
        try:
            handle = capture.warc_file.open("rb")
        except OSError:
            raise Http404("WARC 文件不存在。") from None
        name = f"report-{report.pk}-{capture.role}-{capture.fetched_at:%Y%m%d%H%M%S}.warc.gz"
        return FileResponse(handle, as_attachment=True, filename=name, content_type="application/warc")

    def original_view(self, request, pk):
        """The stored original file, for staff who may view the report."""
        report = Report.objects.defer("original_text").filter(pk=pk).first()
        if report is None or not self.has_view_permission(request, report):
            raise Http404("报告不存在。")
        if not report.original_file:
            raise Http404("该报告没有保存原始文件。")
        try:
            handle = report.original_file.open("rb")
        except OSError:
            raise Http404("原始文件不存在。") from None
        filename = report.original_filename or report.original_file.name.rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)

    def add_view(self, request, form_url="", extra_context=None):
        # Reports are only created from a file or pasted text, through the upload preview.
        return redirect("admin:reports_report_upload")

    def upload_view(self, request):
        """Step 1: files or pasted text are staged, nothing is saved yet."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            token = staging.stage_files(
                form.staged_payload(), user_id=request.user.pk, urls=form.cleaned_data["url_list"]
            )
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
        running = [item for item in items if item["progress"] is not None]
        if request.method == "POST" and not running and all(
            item["form"] is None or item["form"].is_valid() for item in items
        ):
            saved = self._save_items(request, items)
            if all(item["done"] for item in items if item["form"] is not None):
                staging.discard_batch(token)
                if len(saved) == 1:
                    return redirect("admin:reports_report_change", saved[0].pk)
                return redirect("admin:reports_report_changelist")
        context = {
            **self.admin_site.each_context(request), "items": items, "opts": self.model._meta,
            "title": "确认导入", "token": token, "running": bool(running),
            "importable": any(item["form"] is not None for item in items),
        }
        return render(request, "admin/reports/preview.html", context)

    def _preview_item(self, request, staged_file) -> dict:
        item = {
            "file": staged_file, "draft": None, "error": "", "duplicate": None, "form": None, "done": False,
            "progress": None, "ocr": None,
        }
        try:
            # Parsed once per staged file, then kept; slow files (OCR, web addresses) are read
            # in the background while the page polls.
            ingested, item["progress"] = staging.ingest_status(staged_file)
            if ingested is None:
                return item
            draft = services.draft_from_text(
                ingested=ingested, file_checksum=staged_file.checksum, filename=staged_file.filename
            )
        except IngestError as exc:
            item["error"] = exc.message
            return item
        if ingested.page_meta.get("ocr_engine"):
            item["ocr"] = {
                "engine": ingested.page_meta["ocr_engine"], "confidence": ingested.page_meta.get("ocr_confidence"),
                "pages": ingested.page_meta.get("ocr_pages", ""),
            }
        item["draft"] = draft
        item["duplicate"] = services.find_duplicate(draft.checksum)
        if item["duplicate"] is None:
            prefix = f"f{staged_file.index}"
            data = request.POST if request.method == "POST" else None
            item["form"] = DraftForm(
                data, prefix=prefix, initial=DraftForm.initial_from_draft(draft), ocr=item["ocr"] is not None
            )
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
            draft = item["draft"]
            corrected = form.corrected_text()
            if corrected is not None:
                draft = self._corrected_draft(draft, corrected, item["file"])
            try:
                report = services.report_import(
                    draft=draft, data=item["file"].data, uploaded_by=request.user,
                    overrides=form.overrides(),
                    confirm_unstructured=form.cleaned_data["confirm_unstructured"],
                    captures=item["file"].captures,
                )
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
                continue
            item["done"] = True
            saved.append(report)
            what = f"网址「{item['file'].url}」" if item["file"].url else f"上传文件「{item['file'].filename}」"
            self.log_addition(request, report, what)
            messages.success(
                request, f"已保存《{report.title}》（{report.sections.count()} 个章节），检索索引将随即更新。"
            )
        return saved

    @staticmethod
    def _corrected_draft(draft, text: str, staged_file):
        """The draft re-read from the admin's corrected OCR text (checksum and sections follow)."""
        ingested = IngestedText(
            text=text, format=draft.ingested.format, encoding=draft.ingested.encoding,
            warnings=[*draft.ingested.warnings, "OCR 文字已由管理员校对。"], page_meta=dict(draft.ingested.page_meta),
        )
        return services.draft_from_text(ingested=ingested, file_checksum=staged_file.checksum, filename=draft.filename)

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


@admin.register(SourceDocument)
class SourceDocumentAdmin(admin.ModelAdmin):
    list_display = ["url", "source", "last_seen", "gone_since", "last_error"]
    list_filter = ["source", ("gone_since", admin.EmptyFieldListFilter)]
    search_fields = ["url", "source"]
    readonly_fields = [f.name for f in SourceDocument._meta.fields]

    def has_add_permission(self, request):
        return False


class TopicFilter(admin.SimpleListFilter):
    """Topics by their Chinese labels (the stored keys are English: leadership …)."""

    title = "主题"
    parameter_name = "topic"

    def lookups(self, request, model_admin):
        return hooks.topic_choices()[1:]

    def queryset(self, request, queryset):
        return queryset.filter(topic=self.value()) if self.value() else queryset


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "report", "level", "topic_display", "topic_overridden"]
    list_filter = ["level", TopicFilter, "topic_overridden"]
    search_fields = ["heading", "report__title"]
    readonly_fields = ["report", "parent", "level", "number", "path", "heading", "text", "order", "topic_overridden"]
    fields = ["report", "parent", "level", "number", "path", "heading", "text", "order", "topic", "topic_overridden"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="主题", ordering="topic")
    def topic_display(self, obj):
        return hooks.topic_label(obj.topic) or "—"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "topic" and len(hooks.topic_choices()) > 1:
            from django import forms

            return forms.ChoiceField(label="主题", choices=hooks.topic_choices(), required=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "topic" in form.changed_data:
            services.section_set_topic(section=obj, topic=form.cleaned_data["topic"])
