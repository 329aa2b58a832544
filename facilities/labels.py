"""QR labels: each code opens the "report a problem" form prefilled with site, location and equipment.

The ticket form (``tickets:create``) is built on the tickets branch; facilities may not import
tickets, so its path is the one constant below (contracts.md: ``/tickets/new/`` accepts
``?site=<id>&location=<id>&equipment=<id>``). Login is still required by that page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings

REPORT_PATH = "/tickets/new/"


def report_path(equipment) -> str:
    """Path and query of the report form prefilled for ``equipment``."""
    params = {"site": equipment.site_id}
    if equipment.location_id:
        params["location"] = equipment.location_id
    params["equipment"] = equipment.pk
    return f"{REPORT_PATH}?{urlencode(params)}"


def report_url(equipment) -> str:
    """Absolute URL of the prefilled report form for ``equipment`` (base: ``FIXDESK_SITE_URL``)."""
    return f"{settings.FIXDESK_SITE_URL.rstrip('/')}{report_path(equipment)}"


def qr_data_uri(data: str, *, scale: int = 5) -> str:
    """A PNG data URI of a QR code for ``data`` (error correction M survives a scuffed sticker)."""
    return segno.make_qr(data, error="m").png_data_uri(scale=scale, border=2)


@dataclass(frozen=True)
class Label:
    equipment: object
    url: str
    qr: str


def labels_for(equipment_list) -> list[Label]:
    """One printable label per piece of equipment."""
    out = []
    for equipment in equipment_list:
        url = report_url(equipment)
        out.append(Label(equipment=equipment, url=url, qr=qr_data_uri(url)))
    return out
