from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "compare"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # reports/ stores sections; the topics and figures derived from them are ours.
        from compare.services import indicators_refresh
        from compare.topics import TOPIC_BY_KEY, assign_topics
        from reports import hooks
        from reports.models import Report

        def classify(outlines):
            return [assignment.key for assignment in assign_topics(outlines)]

        def refresh_figures(sender, report, **kwargs):
            indicators_refresh(report=report)

        hooks.register_topic_classifier(classify, TOPIC_BY_KEY)
        hooks.sections_stored.connect(refresh_figures, sender=Report, dispatch_uid="compare.refresh_figures")
