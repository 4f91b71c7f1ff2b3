from django.apps import AppConfig


class ReportsConfig(AppConfig):
    verbose_name = "报告库"
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"
