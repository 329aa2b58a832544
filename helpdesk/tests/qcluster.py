"""A real ``qcluster`` beside a test: the database URL a second process can open, starting and
stopping the cluster (its whole process group), and waiting for what it does.

The test database must be one a second process can see: PostgreSQL, or a file SQLite database
(the conftest of the apps whose tests run a cluster sets one); an in-memory one skips the test.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

WAIT = 90  # seconds: an upper bound for a slow shared machine, not a performance assertion


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if "memory" in name:
            pytest.skip("the test database is in memory: a second process cannot see it")
        return f"sqlite:///{Path(name).resolve()}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(predicate, what: str, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    pytest.fail(f"gave up waiting for: {what}")


def start_cluster(settings_module: str, log_path, **env):
    """``manage.py qcluster`` on the test database in a process group of its own; -> (process, log file)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "DATABASE_URL": database_url(),
           "Q_SYNC": "0", **env}
    log = open(log_path, "a")  # noqa: SIM115 - closed by stop_cluster
    proc = subprocess.Popen([sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "qcluster"], env=env,
                            stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR, start_new_session=True)
    return proc, log


def stop_cluster(proc, log, log_path=None):
    """SIGTERM (a graceful stop), the whole group killed if it outlasts 30 s; prints the log's end
    when the cluster did not stop cleanly."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()
    if log_path and proc.returncode not in (0, -signal.SIGTERM):
        print(Path(log_path).read_text()[-3000:])
