import re

import pytest
from django.core import mail
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The mail-form throttle counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def link_in(message, path_part: str) -> str:
    """The first link in an e-mail's text body that contains ``path_part`` (as a site-relative path)."""
    for url in re.findall(r"https?://\S+", message.body):
        if path_part in url:
            return re.sub(r"^https?://[^/]+", "", url)
    raise AssertionError(f"no link with {path_part!r} in: {message.body}")


@pytest.fixture
def outbox():
    mail.outbox.clear()
    return mail.outbox


def log_in(client, email: str, password: str):
    """Log in through the real login page (django-axes needs a request, so ``client.login`` won't do)."""
    from django.urls import reverse

    return client.post(reverse("accounts:login"), {"username": email, "password": password})
