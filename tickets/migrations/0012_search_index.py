"""The ticket search index: pg_trgm GIN indexes on PostgreSQL, an FTS5 trigram table + triggers on
SQLite (tickets/search.py). Not model state: both are database-specific."""

from django.db import migrations


def forwards(apps, schema_editor):
    from tickets.search import install_search_index

    install_search_index(schema_editor.connection, rebuild=True)


def backwards(apps, schema_editor):
    from tickets.search import uninstall_search_index

    uninstall_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0011_live_requester_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
