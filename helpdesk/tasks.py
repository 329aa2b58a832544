"""django-q2 tasks of the project package (scheduled in helpdesk/schedules.py)."""

from datetime import timedelta

from helpdesk.files import orphan_files_purge

ORPHAN_MIN_AGE = timedelta(hours=1)


def purge_orphan_files() -> str:
    """The daily orphan-file purge: files no row references, older than an hour (uploads in flight are kept)."""
    return f"deleted {len(orphan_files_purge(min_age=ORPHAN_MIN_AGE))} orphan file(s)"
