from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = "Fixdesk"

    def ready(self):
        from django.apps import apps

        from helpdesk.schedules import ensure_schedules_after_migrate

        # This package has no models, so Django sends it no post_migrate: hang on django_q's.
        post_migrate.connect(ensure_schedules_after_migrate, sender=apps.get_app_config("django_q"),
                             dispatch_uid="helpdesk.schedules")
