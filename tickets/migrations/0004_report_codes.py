"""Default code lists for service reports (admins edit them in the Django admin afterwards)."""

from django.db import migrations

CODES = {
    "symptom": [
        ("NOPOWER", "No power / does not start"), ("LEAK", "Leak"), ("NOISE", "Abnormal noise or vibration"),
        ("TEMP", "Too hot / too cold"), ("INTERMIT", "Intermittent fault"), ("DAMAGE", "Physical damage"),
        ("ERROR", "Error code or message"), ("BLOCKED", "Blocked / clogged"), ("NOFAULT", "No fault found"),
        ("OTHER", "Other"),
    ],
    "cause": [
        ("WEAR", "Wear and tear"), ("ELEC", "Electrical fault"), ("MECH", "Mechanical failure"),
        ("MISUSE", "Misuse or accident"), ("DIRT", "Dirt, debris or blockage"), ("SETTING", "Wrong setting"),
        ("SUPPLY", "External supply (power, water, network)"), ("INSTALL", "Installation defect"),
        ("UNKNOWN", "Unknown"), ("OTHER", "Other"),
    ],
    "action": [
        ("REPLACED", "Part replaced"), ("REPAIRED", "Repaired"), ("ADJUSTED", "Adjusted / recalibrated"),
        ("CLEANED", "Cleaned / unblocked"), ("RESET", "Reset / restarted"), ("TEMPFIX", "Temporary fix"),
        ("ADVICE", "User advised / trained"), ("NONE", "No action needed"), ("OTHER", "Other"),
    ],
}


def add_codes(apps, schema_editor):
    ReportCode = apps.get_model("tickets", "ReportCode")
    for kind, rows in CODES.items():
        for order, (code, label) in enumerate(rows, start=1):
            ReportCode.objects.get_or_create(kind=kind, code=code, defaults={"label": label, "sort_order": order * 10})


def remove_codes(apps, schema_editor):
    ReportCode = apps.get_model("tickets", "ReportCode")
    for kind, rows in CODES.items():
        ReportCode.objects.filter(kind=kind, code__in=[c for c, _ in rows]).delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0003_service_reports")]

    operations = [migrations.RunPython(add_codes, remove_codes)]
