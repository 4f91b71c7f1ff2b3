from django.contrib import admin

from compare.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Read-only: figures are derived from section text (manage.py refresh_indicators)."""

    list_display = ["report", "key", "value", "unit", "section"]
    list_filter = ["key"]
    list_select_related = ["report", "section"]
    search_fields = ["sentence", "report__title"]
    readonly_fields = ["report", "section", "key", "value", "unit", "sentence", "start", "end"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
