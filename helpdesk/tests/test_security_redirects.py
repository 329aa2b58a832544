"""Open redirects: after login, logout and actions, ``next`` only ever leads to this site."""

import pytest
from django.urls import reverse

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(document.cookie)",
    " //evil.example",
    "/%09/evil.example",
    "https://evil.example/%2F..",
    "\x00https://evil.example",
]


def _offsite(location: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(location.strip())
    return bool(parsed.scheme and parsed.scheme not in ("http", "https")) or bool(parsed.netloc) \
        or location.strip().startswith(("//", "\\", "/\\")) or "evil" in parsed.netloc \
        or location.startswith(("\x00", " "))


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_never_redirects_off_site(client, customer, password, target):
    response = client.post(reverse("accounts:login") + "?next=x",
                           {"username": customer.email, "password": password, "next": target})
    assert response.status_code == 302
    assert not _offsite(response["Location"]), response["Location"]


@pytest.mark.django_db
def test_login_follows_a_local_next(client, customer, password):
    response = client.post(reverse("accounts:login"),
                           {"username": customer.email, "password": password, "next": "/tickets/?page=2"})
    assert response["Location"] == "/tickets/?page=2"


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT[:6])
def test_logout_never_redirects_off_site(client_for, customer, target):
    response = client_for(customer).post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302
    assert not _offsite(response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT[:6])
def test_actions_never_redirect_off_site(world, client_for, target):
    note = world.notes["mine"]
    response = client_for(world.customer).post(reverse("notifications:read", args=[note.pk]), {"next": target})
    assert response.status_code in (200, 302, 204)
    assert not _offsite(response.get("Location", ""))
    response = client_for(world.admin).post(reverse("tickets:bulk"), {"next": target, "tickets": [world.mine.pk]})
    assert not _offsite(response.get("Location", ""))
    response = client_for(world.technician).post(
        reverse("tickets:action", args=[world.mine.pk, "hold"]), {"next": target, "reason": "Waiting for parts",
                                                                   "comment": "Waiting for parts"})
    assert not _offsite(response.get("Location", ""))
