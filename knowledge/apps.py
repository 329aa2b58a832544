from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self):
        from helpdesk.fts import reinstall_after_migrate
        from knowledge import receivers  # noqa: F401 - subscribes to tickets' signals
        from knowledge.search import install_search_index

        reinstall_after_migrate(self, install_search_index, "knowledge_search_index")
