from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts.roles import ensure_groups_after_migrate

        # Runs after every app migrated (post_migrate fires per app; ours re-creates the groups
        # once the whole permission table exists because it is sent after all migrations).
        post_migrate.connect(ensure_groups_after_migrate, sender=self, dispatch_uid="accounts_role_groups")
