"""Operator backups: one ``.tar.gz`` holding the database (Django's dumpdata, so it restores on
SQLite or PostgreSQL alike), every media file of the default storage, and a manifest with row
counts and SHA-256 checksums that ``restore`` verifies before it touches anything."""

import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
# Derived or transient data: rebuilt by migrate, or worthless after a restore.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes", "django_q.ormq"]


class BackupError(Exception):
    pass


def _walk(storage, top=""):
    dirs, files = storage.listdir(top)
    for name in sorted(files):
        yield f"{top}/{name}" if top else name
    for name in sorted(dirs):
        yield from _walk(storage, f"{top}/{name}" if top else name)


def media_files(storage=None) -> list[str]:
    storage = storage or default_storage
    try:
        return list(_walk(storage))
    except FileNotFoundError:
        return []


def _add_bytes(tar, name, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _dumped_models() -> list:
    """The models a backup holds (everything but the EXCLUDE list, unmanaged and proxy models)."""
    excluded_apps = {e for e in EXCLUDE if "." not in e}
    excluded_models = {e for e in EXCLUDE if "." in e}
    return [
        model for model in apps.get_models()
        if model._meta.app_label not in excluded_apps and model._meta.label_lower not in excluded_models
        and model._meta.managed and not model._meta.proxy
    ]


def _counts() -> dict:
    return {model._meta.label_lower: model._default_manager.count() for model in _dumped_models()}


def backup(path: Path, *, progress: Callable[[str], None] = lambda s: None) -> dict:
    """Write the archive to ``path`` and return its manifest."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "data.fulljson"
        progress("dumping the database ...")
        with transaction.atomic():  # one consistent snapshot (repeatable read on PostgreSQL)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            counts = _counts()
            call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, format="fulljson", output=str(dump),
                         indent=None, verbosity=0)
        data = dump.read_bytes()
        progress(f"database: {sum(counts.values()):,} rows in {len([c for c in counts.values() if c])} tables")
        files = media_files()
        manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "database": connection.vendor,
                    "counts": counts, "data_sha256": hashlib.sha256(data).hexdigest(), "media": {}}
        tmp_archive = path.with_name(path.name + ".part")
        with tarfile.open(tmp_archive, "w:gz") as tar:
            _add_bytes(tar, "data.json", data)
            for i, name in enumerate(files, start=1):
                with default_storage.open(name, "rb") as handle:
                    content = handle.read()
                manifest["media"][name] = hashlib.sha256(content).hexdigest()
                _add_bytes(tar, f"media/{name}", content)
                if i % 100 == 0 or i == len(files):
                    progress(f"media: {i:,}/{len(files):,} files")
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
        tmp_archive.replace(path)  # never a half-written archive under the final name
    progress(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return manifest


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and "\\" not in name


def read_archive(path: Path) -> tuple[dict, bytes, dict]:
    """Manifest, database dump and media files of an archive, all verified."""
    media = {}
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: m for m in tar.getmembers()}
            for name, member in members.items():
                if not member.isfile() or not _safe_member(name):
                    raise BackupError(f"unsafe entry in the archive: {name!r}")
            if "manifest.json" not in members or "data.json" not in members:
                raise BackupError("not a Fixdesk backup (manifest.json or data.json missing)")
            manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
            data = tar.extractfile(members["data.json"]).read()
            for name, member in members.items():
                if name.startswith("media/"):
                    media[name.removeprefix("media/")] = tar.extractfile(member).read()
    except (tarfile.TarError, OSError, json.JSONDecodeError) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
        raise BackupError("the database dump does not match its checksum")
    if set(media) != set(manifest["media"]):
        raise BackupError("the media files do not match the manifest")
    for name, content in media.items():
        if hashlib.sha256(content).hexdigest() != manifest["media"][name]:
            raise BackupError(f"media file {name} does not match its checksum")
    return manifest, data, media


def restore(path: Path, *, progress: Callable[[str], None] = lambda s: None, dry_run: bool = False) -> dict:
    """Replace the database's rows and the media files by the archive's. All or nothing for the
    database (one transaction); media files are written only after the database commits."""
    manifest, data, media = read_archive(Path(path))
    progress(f"archive of {manifest['created_at']} ({manifest['database']}): "
             f"{sum(manifest['counts'].values()):,} rows, {len(media):,} media files; checksums verified")
    if dry_run:
        return manifest
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "data.fulljson"
        dump.write_bytes(data)
        with transaction.atomic():
            progress("emptying the database ...")
            call_command("flush", interactive=False, verbosity=0)
            # flush's post_migrate re-creates content types and permissions (not in the dump) but also
            # rows the dump holds (role groups, job schedules): drop those so the dump's own load.
            for model in _dumped_models():
                model._base_manager.all().delete()
            progress("loading rows ...")
            call_command("loaddata", str(dump), verbosity=0)
            counts = _counts()
            differing = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
            if differing:
                raise BackupError(f"row counts differ after loading, nothing restored: {differing}")
    stale = [name for name in media_files() if name not in media]
    for name in stale:
        default_storage.delete(name)
    for i, (name, content) in enumerate(sorted(media.items()), start=1):
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:
            raise BackupError(f"storage renamed {name} to {saved}")
        if i % 100 == 0 or i == len(media):
            progress(f"media: {i:,}/{len(media):,} files")
    progress("restore complete")
    return manifest
