"""413 for bodies and uploads over their limits (helpdesk/api/parsers.py, tickets' photo fields), in the
one error shape, with nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tickets.models import Photo, Ticket
from tickets.services.photos import MAX_BYTES
from tickets.tests.conftest import image_bytes, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_api(users):
    client = APIClient()
    client.force_authenticate(users["customer"])
    return client


def _too_big_photo():
    # A real JPEG header followed by padding: only its size matters here.
    return SimpleUploadedFile("huge.jpg", image_bytes() + b"\0" * (MAX_BYTES + 1), content_type="image/jpeg")


def test_a_photo_over_10_mb_is_413(customer_api, users):
    response = customer_api.post("/api/v1/tickets/", {"title": "Leak", "description": "Water",
                                                      "photos": [_too_big_photo()]}, format="multipart")
    assert response.status_code == 413
    assert response.json()["status"] == 413 and response.json()["code"] == "too_large"
    assert not Ticket.objects.exists()
    ticket = make_ticket(requester=users["customer"])
    response = customer_api.post(f"/api/v1/tickets/{ticket.pk}/photos/", {"photos": [_too_big_photo()]},
                                 format="multipart")
    assert response.status_code == 413 and not Photo.objects.exists()


def test_a_multipart_body_over_the_limit_is_413(customer_api, settings):
    settings.API_UPLOAD_MAX_BYTES = 50_000
    photo = SimpleUploadedFile("p.jpg", image_bytes(size=(800, 600)) + b"\0" * 60_000, content_type="image/jpeg")
    response = customer_api.post("/api/v1/tickets/", {"title": "Leak", "description": "Water", "photos": [photo]},
                                 format="multipart")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not Ticket.objects.exists()


def test_a_json_body_over_the_limit_is_413(customer_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"title": "Leak", "description": "x" * 20_000})
    response = customer_api.post("/api/v1/tickets/", body, content_type="application/json")
    assert response.status_code == 413
    assert not Ticket.objects.exists()
    # Under the limit the same request works.
    response = customer_api.post("/api/v1/tickets/", {"title": "Leak", "description": "x" * 5_000}, format="json")
    assert response.status_code == 201
