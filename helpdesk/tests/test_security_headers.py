"""Hardened responses: CSP without inline script, nosniff, referrer policy, no framing; and the
production settings (secure cookies, HSTS) proven by ``check --deploy`` in a fresh process."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from helpdesk.tests.routes import all_routes
from helpdesk.tests.test_access_matrix import EXPECT, _kw

BASE_DIR = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DEBUG": "0", "SECRET_KEY": "x" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "fixdesk.example.org", "DJANGO_SETTINGS_MODULE": "helpdesk.settings",
    "DATABASE_URL": "sqlite:////tmp/fixdesk-deploy-check.sqlite3",
}


def _csp(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:profile", "dashboard", "tickets:list", "api:me", "api-docs"])
def test_security_headers_on_pages_and_api(client_for, customer, name):
    response = client_for(customer).get(reverse(name))
    assert response.status_code == 200
    csp = _csp(response)
    assert csp["script-src"] == ["'self'"], "no inline script, no eval, no other origin"
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+)\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.mark.django_db
def test_no_page_carries_inline_script(world):
    """Every HTML page any role can open (from the resolver): no inline <script>, no on*= handler,
    no javascript: URL, so the CSP above never has to allow them."""
    offenders = {}
    for role in ("admin", "technician", "customer"):
        client = Client()
        client.force_login(world.users[role], backend="accounts.backends.EmailBackend")
        for route in all_routes():
            if EXPECT[route.name][("anon", "admin", "engineer", "technician", "customer").index(role)] != 200:
                continue
            response = client.get(reverse(route.name, kwargs=_kw(route, world, "mine")))
            if "text/html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            found = INLINE_SCRIPT.findall(html) + INLINE_HANDLER.findall(html) + JS_URL.findall(html)
            if found:
                offenders[route.name] = found[:3]
    assert not offenders, offenders


def _run(args, extra_env=None):
    env = {**os.environ, **PROD_ENV, **(extra_env or {})}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_and_hsts():
    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
            "getattr(s, k) for k in ['SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', "
            "'CSRF_COOKIE_HTTPONLY', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'DEBUG', "
            "'CONTENT_SECURITY_POLICY', 'MIDDLEWARE']}))")
    result = _run(["-c", code])
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # The production policy: styles and scripts from our own files only; the scoped middleware in place.
    directives = values.pop("CONTENT_SECURITY_POLICY")["DIRECTIVES"]
    assert directives["style-src"] == ["'self'"] and directives["script-src"] == ["'self'"]
    assert "helpdesk.middleware.CSPMiddleware" in values.pop("MIDDLEWARE")
    assert values == {"SESSION_COOKIE_SECURE": True, "SESSION_COOKIE_HTTPONLY": True, "CSRF_COOKIE_SECURE": True,
                      "CSRF_COOKIE_HTTPONLY": True, "SECURE_HSTS_SECONDS": 31536000, "SECURE_SSL_REDIRECT": True,
                      "DEBUG": False}


@pytest.mark.django_db
def test_session_cookie_is_httponly_and_rotates_at_login(client, customer, password):
    client.get(reverse("accounts:login"))
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    response = client.post(reverse("accounts:login"), {"username": customer.email, "password": password})
    assert response.status_code == 302
    cookie = client.cookies["sessionid"]
    assert cookie.value != before, "the session id must change at login (session fixation)"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
