from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TicketsConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'tickets'

    def ready(self):
        from helpdesk.fts import reinstall_after_migrate
        from tickets.schedules import ensure_schedules_after_migrate
        from tickets.search import install_search_index

        post_migrate.connect(ensure_schedules_after_migrate, sender=self, dispatch_uid="tickets.schedules")
        reinstall_after_migrate(self, install_search_index, "tickets.search_index")
