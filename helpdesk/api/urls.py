"""The REST API: ``/api/v1/`` gathers each app's ``api.py``; schema and docs beside it.

An app's ``api.py`` may define ``register(router)`` (viewsets) and/or ``urlpatterns``.
"""

import importlib

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from helpdesk.api.schema_view import SchemaView

API_APPS = ["accounts", "facilities", "tickets", "knowledge", "notifications"]

router = DefaultRouter()
v1_patterns: list = []
for _app in API_APPS:
    try:
        _module = importlib.import_module(f"{_app}.api")
    except ModuleNotFoundError as exc:
        if exc.name != f"{_app}.api":
            raise
        continue
    if hasattr(_module, "register"):
        _module.register(router)
    v1_patterns += getattr(_module, "urlpatterns", [])



@csrf_exempt  # a 404 whatever the method: the CSRF check would answer an HTML 403 first
def not_found(request, rest=""):
    """Any other address under /api/: the API's JSON 404, not the HTML page."""
    return JsonResponse({"status": 404, "code": "not_found", "detail": "No such API endpoint or object."},
                        status=404)


urlpatterns = [
    path("v1/", include((v1_patterns + router.urls, "api"), namespace="api")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    re_path(r"^(?P<rest>[\s\S]*)$", not_found, name="api-not-found"),
]
