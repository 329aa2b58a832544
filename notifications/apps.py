from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from notifications import receivers  # noqa: F401 - connects the tickets signals
        from notifications.schedules import ensure_schedules_after_migrate

        post_migrate.connect(ensure_schedules_after_migrate, sender=self, dispatch_uid="notifications.schedules")
