from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using="default", **kwargs):
    """SQLite re-creates a table on some schema changes and drops its triggers: put them back."""
    from django.db import connections

    from tickets.search import install_search_index

    install_search_index(connections[using])


class TicketsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'tickets'

    def ready(self):
        from tickets.schedules import ensure_schedules_after_migrate

        post_migrate.connect(ensure_schedules_after_migrate, sender=self, dispatch_uid="tickets.schedules")
        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="tickets.search_index")
