import io

from django.core.management import call_command

from facilities.models import Equipment, EquipmentModel, Location, Manufacturer, Site, StaffProfile, Vehicle


def _counts():
    return [m.objects.count() for m in (Site, Location, Manufacturer, EquipmentModel, Equipment, Vehicle, StaffProfile)]


def test_seed_demo_builds_the_registry_and_is_idempotent(db):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    assert first[0] >= 3 and first[2] >= 3 and first[4] >= 5 and first[5] == 2 and first[6] >= 2
    assert Site.objects.filter(latitude__isnull=True).count() == 0
    assert Location.objects.filter(path="Head Office / Block B / Floor 2 / Room 204").exists()
    staff = StaffProfile.objects.select_related("user", "home_site")
    assert all(p.user.phone and p.home_site and p.trades.exists() for p in staff)
    call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == first
