from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from reports import services
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
        (None, {"fields": ["title", "title_generated", "kind", "region", "year", "published", "script", "source_url"]}),
        ("原文", {"fields": ["original_text"]}),
        ("来源与校验", {"fields": ["original_file", "original_filename", "original_format", "original_encoding", "checksum", "file_checksum"]}),
        ("解析与审计", {"fields": ["parse_warnings", "locked_fields", "created_at", "created_by", "updated_at", "updated_by"]}),
    ]

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
                services.report_replace_text(report=original, text=form.cleaned_data["original_text"], user=request.user)
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
