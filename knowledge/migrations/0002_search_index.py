"""Full-text index: a GIN expression index on PostgreSQL, an FTS5 table + triggers on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from knowledge.search import install_search_index

    install_search_index(schema_editor.connection, rebuild=True)


def backwards(apps, schema_editor):
    from knowledge.search import uninstall_search_index

    uninstall_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
