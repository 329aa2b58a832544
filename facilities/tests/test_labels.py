"""QR labels decode to the prefilled report form of the right equipment."""

import base64
import io
import re
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from django.urls import reverse
from PIL import Image

from facilities import labels, services


def _decode_sheet(html: str) -> dict[str, str]:
    """{alt text's asset tag: decoded QR text} for every label image on the sheet."""
    out = {}
    for data, tag in re.findall(
            r'src="data:image/png;base64,([^"]+)" alt="QR code to report a problem with ([^"]+)"', html):
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        results = zxingcpp.read_barcodes(image)
        assert len(results) == 1, f"no single QR code on the label of {tag}"
        out[tag] = results[0].text
    return out


def test_equipment_label_decodes_to_the_prefilled_report_form(registry, client_for, admin, settings):
    settings.FIXDESK_SITE_URL = "https://fixdesk.example.org/"
    ac = registry["ac"]
    html = client_for(admin).get(reverse("facilities:equipment_label", args=[ac.pk])).content.decode()
    decoded = _decode_sheet(html)
    assert list(decoded) == ["HQ-AC-1"]
    url = urlsplit(decoded["HQ-AC-1"])
    assert (url.scheme, url.netloc, url.path) == ("https", "fixdesk.example.org", labels.REPORT_PATH)
    assert parse_qs(url.query) == {"site": [str(ac.site_id)], "location": [str(ac.location_id)],
                                   "equipment": [str(ac.pk)]}
    assert "HQ / Block B / Floor 2 / Room 204" in html


def test_location_sheet_has_one_label_per_asset_below_it(registry, client_for, engineer):
    services.equipment_create(actor=registry["actor"], asset_tag="OLD-1", model=registry["hvac"],
                              site=registry["hq"], location=registry["room"], status="retired")
    html = client_for(engineer).get(reverse("facilities:location_labels", args=[registry["block"].pk])).content
    decoded = _decode_sheet(html.decode())
    assert sorted(decoded) == ["HQ-AC-1", "HQ-PRN-1"]  # not the retired one, not the depot's
    prn = parse_qs(urlsplit(decoded["HQ-PRN-1"]).query)
    assert prn == {"site": [str(registry["hq"].pk)], "location": [str(registry["floor"].pk)],
                   "equipment": [str(registry["prn"].pk)]}


def test_equipment_without_location_leaves_it_out(registry):
    item = services.equipment_create(actor=registry["actor"], asset_tag="LOOSE", model=registry["hvac"],
                                     site=registry["depot"])
    query = parse_qs(urlsplit(labels.report_url(item)).query)
    assert query == {"site": [str(registry["depot"].pk)], "equipment": [str(item.pk)]}


def test_site_sheet_labels_everything_on_the_site(registry, client_for, admin):
    html = client_for(admin).get(reverse("facilities:site_labels", args=[registry["hq"].pk])).content.decode()
    assert sorted(_decode_sheet(html)) == ["HQ-AC-1", "HQ-PRN-1"]


def test_codes_are_drawn_once_and_follow_their_text(registry, client_for, admin, settings):
    """A reprinted sheet takes its codes from the cache; a changed site URL draws new ones."""
    from django.core.cache import cache

    url = labels.report_url(registry["ac"])
    first = labels.qr_data_uri(url)
    assert cache.get(labels._qr_key(url, 5)) == first
    cache.set(labels._qr_key(url, 5), "data:image/png;base64,CACHED")
    assert labels.qr_data_uri(url) == "data:image/png;base64,CACHED"
    settings.FIXDESK_SITE_URL = "https://elsewhere.example.org"
    moved = labels.report_url(registry["ac"])
    assert moved != url
    assert labels.qr_data_uri(moved) not in ("data:image/png;base64,CACHED", first)


def test_a_full_sheet_of_codes_stays_cached(db):
    """Every code of the largest sheet is still in the cache after it is drawn (locmem's default
    of 300 entries culled a 500-label sheet's own codes, so every print redrew them)."""
    from django.core.cache import cache

    from facilities.views.labels import MAX_LABELS

    texts = [f"https://fixdesk.example.org/tickets/new/?site=1&equipment={n}" for n in range(MAX_LABELS)]
    drawn = labels.qr_data_uris(texts, scale=1)
    keys = [labels._qr_key(text, 1) for text in texts]
    assert cache.get_many(keys) == dict(zip(keys, drawn, strict=True))
