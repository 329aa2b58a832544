"""Gunicorn's production profile for Fixdesk: ``gunicorn -c helpdesk/gunicorn.conf.py``.

Every knob comes from the environment (documented in docs/deploy.md), so one file serves a
laptop, the benchmark and a server behind a reverse proxy.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


wsgi_app = "helpdesk.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Django views are mostly database-bound: (2 x cores) + 1 sync workers is gunicorn's own advice.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows without bound. Evenly loaded workers
# reach the limit together: a wide jitter keeps them from all restarting in the same second.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not killed by mistake.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # nosec B108  # noqa: S108 - heartbeat files only
preload_app = os.environ.get("GUNICORN_PRELOAD", "0") == "1"
# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = "fixdesk-web"
# gunicorn's control socket (gunicornc) only when asked for: its default path is shared by every
# gunicorn of the user, so a second instance on the machine (benchmark, staging) would take it over.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "") or "/run/fixdesk/gunicorn.ctl"
control_socket_disable = not os.environ.get("GUNICORN_CONTROL_SOCKET")
