"""Throttling: anonymous callers (also the refused ones: 401 counts) and the authentication endpoints
answer 429 with Retry-After once over their rate; signed-in callers keep their own budget."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle

pytestmark = pytest.mark.django_db


def test_anonymous_callers_are_throttled_even_when_refused(monkeypatch, customer):
    monkeypatch.setattr(AnonRateThrottle, "rate", "5/min", raising=False)
    anon = APIClient()
    statuses = [anon.get("/api/v1/tickets/").status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    response = anon.get("/api/v1/articles/", HTTP_AUTHORIZATION="Token wrong")  # wrong credentials count too
    assert response.status_code == 429 and response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    signed_in = APIClient()
    signed_in.force_authenticate(customer)
    assert signed_in.get("/api/v1/tickets/").status_code == 200  # not the anonymous budget


def test_token_endpoint_is_throttled(monkeypatch, customer, password):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "auth": "3/min"})
    anon = APIClient()
    statuses = [anon.post("/api/v1/auth/token/", {"email": customer.email, "password": "wrong"}).status_code
                for _ in range(4)]
    assert statuses[:3] == [401] * 3 and statuses[3] == 429
    # Even the right password waits now.
    response = anon.post("/api/v1/auth/token/", {"email": customer.email, "password": password})
    assert response.status_code == 429 and "token" not in response.json()
