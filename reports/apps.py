from django.apps import AppConfig


class ReportsConfig(AppConfig):
    verbose_name = "报告库"
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import pre_save

        from reports.signals import strip_control_characters

        pre_save.connect(strip_control_characters, dispatch_uid="reports.strip_control_characters")
