from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_search_index(sender, using="default", **kwargs):
    """SQLite re-creates a table on some schema changes and drops its triggers: put them back."""
    from django.db import connections

    from knowledge.search import install_search_index

    install_search_index(connections[using])


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self):
        from knowledge import receivers  # noqa: F401 - subscribes to tickets' signals

        post_migrate.connect(_ensure_search_index, sender=self, dispatch_uid="knowledge_search_index")
