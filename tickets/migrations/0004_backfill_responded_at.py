from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    # A ticket assigned before SLAs existed was responded to when it was (last) assigned.
    Ticket = apps.get_model("tickets", "Ticket")
    Ticket.objects.filter(responded_at__isnull=True, assigned_at__isnull=False).update(responded_at=F("assigned_at"))


def backwards(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    Ticket.objects.update(responded_at=None)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_sla_policies")]
    operations = [migrations.RunPython(forwards, backwards)]
