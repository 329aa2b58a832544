"""Every app's periodic jobs are django-q2 schedules, registered once by ``setup_schedules``
(and on ``migrate``); the daily orphan-file purge is one of them and really purges."""

import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_q.models import Schedule

from helpdesk.backup import media_files
from helpdesk.schedules import all_specs

pytestmark = pytest.mark.django_db

PURGE = "helpdesk: purge orphan files"


def test_every_app_schedule_is_found():
    funcs = {spec["func"] for spec in all_specs()}
    assert funcs == {"notifications.tasks.sweep_deliveries", "notifications.tasks.purge_notifications",
                     "tickets.tasks.escalate_tickets", "helpdesk.tasks.purge_orphan_files"}


def test_purge_schedule_exists_after_migrate():
    schedule = Schedule.objects.get(name=PURGE)  # the test database was built by migrate
    assert schedule.func == "helpdesk.tasks.purge_orphan_files"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == (Schedule.MINUTES, 24 * 60, -1)


def test_setup_schedules_registers_every_schedule_once():
    Schedule.objects.all().delete()
    out = io.StringIO()
    call_command("setup_schedules", "--dry-run", stdout=out)
    assert f"{PURGE}: would create" in out.getvalue() and not Schedule.objects.exists()
    call_command("setup_schedules", stdout=out)
    assert f"{PURGE}: created" in out.getvalue()
    call_command("setup_schedules", stdout=out)
    assert f"{PURGE}: unchanged" in out.getvalue()
    assert Schedule.objects.filter(name=PURGE).count() == 1
    assert Schedule.objects.count() == len(all_specs()) == 4
    Schedule.objects.filter(name=PURGE).update(minutes=5)  # drifted: put back, not duplicated
    call_command("setup_schedules", stdout=out)
    assert f"{PURGE}: updated" in out.getvalue()
    assert list(Schedule.objects.filter(name=PURGE).values_list("minutes", flat=True)) == [24 * 60]


def _file(name: str, *, age_seconds: int) -> str:
    saved = default_storage.save(name, ContentFile(b"left over"))
    when = time.time() - age_seconds
    os.utime(default_storage.path(saved), (when, when))
    return saved


def test_the_scheduled_task_purges_old_orphans_only():
    from helpdesk.tasks import purge_orphan_files

    old = _file("photos/old-orphan.jpg", age_seconds=2 * 3600)
    fresh = _file("photos/fresh-upload.jpg", age_seconds=60)
    assert purge_orphan_files() == "deleted 1 orphan file(s)"
    assert media_files() == [fresh] and old not in media_files()
