"""Uploaded files: SVG, HTML and polyglots are refused; photos are served only through permission
checks, with the checked content type, Content-Disposition, nosniff and a sandboxing CSP."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tickets.tests.conftest import image_bytes

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
POLYGLOT = image_bytes("GIF") + b"<script>alert(1)</script>"
HOSTILE = [("evil.svg", SVG, "image/svg+xml"), ("evil.jpg", SVG, "image/jpeg"), ("evil.html", HTML, "text/html"),
           ("evil.png", HTML, "image/png"), ("evil.gif", POLYGLOT, "image/gif"),
           ("evil.jpg", b"\xff\xd8\xff\xe0" + HTML, "image/jpeg")]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE)
def test_hostile_ticket_photos_are_refused(world, client_for, name, data, content_type):
    before = world.mine.photos.count()
    client_for(world.customer).post(reverse("tickets:photo_upload", args=[world.mine.pk]),
                                    {"photos": [SimpleUploadedFile(name, data, content_type=content_type)]})
    api = client_for(world.customer).post(reverse("api:ticket-photos", args=[world.mine.pk]),
                                          {"photos": [SimpleUploadedFile(name, data, content_type=content_type)]},
                                          format="multipart")
    assert api.status_code == 400
    assert world.mine.photos.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "content_type"), HOSTILE[:4])
def test_hostile_equipment_photos_are_refused(world, client_for, name, data, content_type):
    old = world.equipment.photo.name
    client_for(world.admin).post(reverse("facilities:equipment_edit", args=[world.equipment.pk]),
                                 {"asset_tag": world.equipment.asset_tag, "model": world.equipment.model_id,
                                  "site": world.equipment.site_id, "status": world.equipment.status,
                                  "photo": SimpleUploadedFile(name, data, content_type=content_type)})
    world.equipment.refresh_from_db()
    assert world.equipment.photo.name == old


def _served_urls(w):
    return [
        reverse("tickets:photo", args=[w.mine.pk, w.photos["mine"].pk]),
        reverse("tickets:photo_thumb", args=[w.mine.pk, w.photos["mine"].pk]),
        reverse("tickets:report_photo", args=[w.mine.pk, w.reports["mine"].pk, w.report_photos["mine"].pk]),
        reverse("tickets:report_photo_thumb", args=[w.mine.pk, w.reports["mine"].pk, w.report_photos["mine"].pk]),
        reverse("api:ticket-photo-file", args=[w.mine.pk, w.photos["mine"].pk]),
        reverse("api:ticket-photo-thumbnail", args=[w.mine.pk, w.photos["mine"].pk]),
        reverse("facilities:equipment_photo", args=[w.equipment.pk]),
    ]


@pytest.mark.django_db
def test_photos_are_served_with_checked_type_disposition_and_sandbox(world):
    client = Client()
    client.force_login(world.admin, backend="accounts.backends.EmailBackend")
    for url in _served_urls(world):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] in ("image/jpeg", "image/png", "image/webp"), url
        assert response["Content-Disposition"].startswith(("inline; filename=", "attachment; filename=")), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        csp = response["Content-Security-Policy"]
        assert "sandbox" in csp and "default-src 'none'" in csp, url
        assert "private" in response["Cache-Control"], url
        body = b"".join(response.streaming_content)
        assert body[:3] == b"\xff\xd8\xff" or body[:8] == b"\x89PNG\r\n\x1a\n" or body[8:12] == b"WEBP", url


@pytest.mark.django_db
def test_media_is_never_served_from_a_public_url(world):
    name = world.photos["mine"].image.name
    assert Client().get(f"/media/{name}").status_code == 404
    assert Client().get(reverse("tickets:photo", args=[world.mine.pk, world.photos["mine"].pk])).status_code == 302
