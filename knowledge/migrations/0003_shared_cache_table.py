"""The table of the "shared" cache (helpdesk/settings.py CACHES) in the embedded default, where
Django's per-process local-memory cache cannot carry the reliability figures from the job worker
to the web processes. Created by Django's own createcachetable for a fixed name (also when the
shared cache is Redis: an unused empty table costs nothing and keeps the schema the same)."""

from django.core.management import call_command
from django.db import migrations

TABLE = "fixdesk_shared_cache"


def forwards(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def backwards(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
