"""`manage.py backup` / `restore`: a round trip gives back every row and every media file; a
tampered or hostile archive is refused before anything is touched."""

import io
import tarfile

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

from helpdesk.backup import EXCLUDE, media_files
from helpdesk.tests.conftest import build_world
from tickets.models import Ticket


def _state():
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label in ("contenttypes", "sessions", "axes", "admin") or model._meta.proxy:
            continue
        if model._meta.label_lower in EXCLUDE:
            continue
        rows[model._meta.label_lower] = sorted(
            tuple(sorted((k, str(v)) for k, v in row.items())) for row in model._default_manager.values())
    files = {name: default_storage.open(name, "rb").read() for name in media_files()}
    return rows, files


@pytest.fixture
def world_tx(transactional_db, admin, engineer, technician, customer):
    return build_world({"admin": admin, "engineer": engineer, "technician": technician, "customer": customer})


def test_round_trip_restores_every_row_and_file(world_tx, tmp_path):
    archive = tmp_path / "fixdesk.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "media:" in out.getvalue() and "backup written" in out.getvalue()
    before_rows, before_files = _state()
    assert len(before_files) >= 5, "ticket photos, thumbnails, report photos and the equipment photo"

    # Disaster: tickets gone (cascading to events, photos, reports), files lost, a stray file added.
    Ticket.objects.all().delete()
    for name in list(before_files)[:3]:
        default_storage.delete(name)
    default_storage.save("stray/left-over.txt", ContentFile(b"not in the backup"))

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "checksums verified" in out.getvalue() and "restore complete" in out.getvalue()
    after_rows, after_files = _state()
    assert after_files == before_files
    assert after_rows == before_rows
    # The restored database works: new rows get fresh ids (sequences were reset on PostgreSQL).
    from tickets.tests.conftest import make_ticket

    assert make_ticket(requester=world_tx.customer).pk > max(t.pk for t in (world_tx.mine, world_tx.theirs))


def test_dry_run_verifies_and_changes_nothing(world_tx, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Ticket.objects.filter(pk=world_tx.theirs.pk).delete()
    out = io.StringIO()
    call_command("restore", str(archive), "--dry-run", stdout=out)
    assert "dry run" in out.getvalue()
    assert not Ticket.objects.filter(pk=world_tx.theirs.pk).exists()


def _rewrite(src, dst, change):
    with tarfile.open(src, "r:gz") as tin, tarfile.open(dst, "w:gz") as tout:
        for member in tin.getmembers():
            data = tin.extractfile(member).read()
            member, data = change(member, data)
            if member is not None:
                tout.addfile(member, io.BytesIO(data))


def test_tampered_and_hostile_archives_are_refused(world_tx, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    count = Ticket.objects.count()

    def tamper(member, data):
        if member.name == "data.json":
            data = data.replace(b"Circulation pump noisy", b"Circulation pump quiet")
            member.size = len(data)
        return member, data

    def traversal(member, data):
        if member.name.startswith("media/"):
            member.name = "media/../../../etc/evil"
        return member, data

    for change, message in ((tamper, "checksum"), (traversal, "unsafe")):
        bad = tmp_path / f"{change.__name__}.tar.gz"
        _rewrite(archive, bad, change)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(bad), "--yes", stdout=io.StringIO())
        assert Ticket.objects.count() == count
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.tar.gz"), "--yes", stdout=io.StringIO())
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(archive), stdout=io.StringIO())
