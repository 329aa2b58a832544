import importlib

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

# Each app may offer a ``dashboard.py`` with ``panels(request) -> list[dict]``; every panel
# dict names a ``template`` and carries its own context. Order is the page's order.
DASHBOARD_APPS = ["tickets", "facilities", "knowledge", "notifications", "accounts"]


def _panels(request) -> list[dict]:
    panels = []
    for app in DASHBOARD_APPS:
        try:
            module = importlib.import_module(f"{app}.dashboard")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.dashboard":
                raise
            continue
        panels.extend(module.panels(request))
    return panels


@require_safe
@login_required
def dashboard(request):
    """One URL, each role its own start page."""
    return render(request, "helpdesk/dashboard.html", {"panels": _panels(request)})


@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
