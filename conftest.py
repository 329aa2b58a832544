"""Fixtures shared by every app's tests: one user per role and a real Chromium browser."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop; Django must still allow ORM calls beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from accounts.models import Role  # noqa: E402
from accounts.tests.factories import PASSWORD, make_user  # noqa: E402

ROLES = [r.value for r in Role]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user_factory(db):
    return make_user


@pytest.fixture
def admin(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def engineer(db):
    return make_user(Role.ENGINEER)


@pytest.fixture
def technician(db):
    return make_user(Role.TECHNICIAN)


@pytest.fixture
def customer(db):
    return make_user(Role.CUSTOMER)


@pytest.fixture
def users(admin, engineer, technician, customer):
    """One user of each role, keyed by role name."""
    return {"admin": admin, "engineer": engineer, "technician": technician, "customer": customer}


@pytest.fixture
def client_for(client):
    """``client_for(user)`` -> a test client logged in as that user (``None``: anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user, backend="accounts.backends.EmailBackend")
        return c

    return make


@pytest.fixture
def api(db):
    """``api(user)`` -> a DRF client sending that user's API token (``None``: anonymous)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        return client

    return make


# ---------------------------------------------------------------------------------------
# Browser tests: a real Chromium (Debian's package) driven by Playwright.

CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]


def _chromium_path() -> str | None:
    for path in CHROMIUM_CANDIDATES:
        if path and os.path.exists(path):
            return path
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if not path:
        if os.environ.get("FIXDESK_REQUIRE_BROWSER"):
            pytest.fail("FIXDESK_REQUIRE_BROWSER is set but no Chromium was found.")
        pytest.skip("No Chromium found (apt-get install -y chromium, or set CHROMIUM_PATH): browser test skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


@pytest.fixture
def phone_page(browser):
    # Reduced motion: Bootstrap then opens menus and panels without a transition, so a click
    # never lands on a control that is still moving.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  reduced_motion="reduce")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


SCREENSHOT_DIR = os.environ.get("FIXDESK_SCREENSHOTS", os.path.join(os.path.dirname(__file__), "screenshots"))


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves a PNG into screenshots/ (left in place by CI)."""

    def take(pg, name: str):
        os.makedirs(SCREENSHOT_DIR, exist_ok=True)
        pg.screenshot(path=os.path.join(SCREENSHOT_DIR, f"{name}.png"), full_page=True)

    return take
