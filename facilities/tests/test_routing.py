"""Both routing backends, against a local HTTP server answering in OSRM's documented shape, and the fallback."""

import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from facilities import routing, selectors, services
from facilities.models import StaffProfile

LONDON = (51.5074, -0.1278)
DARTFORD = (51.4549, 0.2265)


class FakeOsrm:
    """A local OSRM stand-in: records the paths asked for and answers with ``reply``."""

    def __init__(self):
        self.paths: list[str] = []
        self.reply = (200, {"code": "Ok", "routes": [{"distance": 31234.5, "duration": 2710.2, "weight": 2710.2,
                                                       "legs": []}], "waypoints": []})
        self.delay = 0.0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                outer.paths.append(self.path)
                if outer.delay:
                    time.sleep(outer.delay)
                status, body = outer.reply
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def osrm(settings):
    fake = FakeOsrm()
    settings.ROUTING_BACKEND = "osrm"
    settings.ROUTING_URL = fake.url
    settings.ROUTING_TIMEOUT = 2
    yield fake
    fake.close()


def test_offline_estimate_uses_detour_factor_and_speed(settings):
    settings.ROUTING_BACKEND = "offline"
    settings.ROUTING_DETOUR_FACTOR = 1.0
    settings.ROUTING_AVERAGE_SPEED_KMH = 60
    straight = routing.great_circle_km(LONDON, DARTFORD)
    assert 24 < straight < 27  # London to Dartford, as the crow flies
    est = routing.estimate(LONDON, DARTFORD)
    assert est.backend == "offline" and est.distance_km == round(straight, 1)
    assert est.duration_min == math.ceil(straight)  # a km a minute at 60 km/h
    settings.ROUTING_DETOUR_FACTOR = 2.0
    assert routing.estimate(LONDON, DARTFORD).distance_km == round(straight * 2, 1)


def test_no_coordinates_no_estimate(registry):
    services.site_update(actor=registry["actor"], site=registry["depot"], latitude=None, longitude=None)
    assert routing.estimate(registry["hq"], registry["depot"]) is None
    assert routing.estimate(None, LONDON) is None


def test_osrm_backend_asks_the_server_with_lon_lat_and_reads_its_answer(osrm):
    est = routing.estimate(LONDON, DARTFORD)
    assert est == routing.Estimate(31.2, 46, "osrm")
    assert osrm.paths == ["/route/v1/driving/-0.127800,51.507400;0.226500,51.454900"
                          "?overview=false&alternatives=false&steps=false"]


def test_osrm_answers_are_cached(osrm):
    routing.estimate(LONDON, DARTFORD)
    routing.estimate(LONDON, DARTFORD)
    assert len(osrm.paths) == 1


@pytest.mark.parametrize("reply", [
    (500, b"Internal Server Error"),
    (400, {"code": "NoRoute", "message": "Impossible route between points"}),
    (200, {"code": "InvalidQuery", "message": "Query string malformed"}),
    (200, b"<html>not json</html>"),
    (200, {"code": "Ok", "routes": []}),
    (200, {"code": "Ok", "routes": [{"distance": "far"}]}),
    (200, {"code": "Ok", "routes": [{"distance": -5, "duration": 10}]}),
])
def test_a_failing_server_falls_back_to_the_offline_estimate(osrm, reply):
    osrm.reply = reply
    est = routing.estimate(LONDON, DARTFORD)
    assert est.backend == "offline-fallback" and est.is_fallback
    assert est.distance_km == routing.offline_estimate(LONDON, DARTFORD).distance_km
    assert len(osrm.paths) == 1
    routing.estimate(LONDON, DARTFORD)
    assert len(osrm.paths) == 2  # failures are not cached: the next call asks again


def test_a_slow_server_falls_back(osrm, settings):
    settings.ROUTING_TIMEOUT = 0.2
    osrm.delay = 1.0
    assert routing.estimate(LONDON, DARTFORD).backend == "offline-fallback"


def test_an_unreachable_server_falls_back(settings):
    fake = FakeOsrm()
    url = fake.url
    fake.close()  # nothing listens there any more
    settings.ROUTING_BACKEND, settings.ROUTING_URL = "osrm", url
    assert routing.estimate(LONDON, DARTFORD).backend == "offline-fallback"


def test_osrm_without_url_or_with_a_bad_scheme_falls_back(settings):
    settings.ROUTING_BACKEND = "osrm"
    settings.ROUTING_URL = ""
    assert routing.estimate(LONDON, DARTFORD).is_fallback
    settings.ROUTING_URL = "file:///etc/passwd"
    assert routing.estimate(LONDON, DARTFORD).is_fallback


def test_travel_estimate_for_uses_the_home_site(registry, technician, osrm):
    assert selectors.travel_estimate_for(technician, registry["depot"]) is None  # no profile yet
    StaffProfile.objects.create(user=technician, home_site=registry["hq"])
    technician.refresh_from_db()
    est = selectors.travel_estimate_for(technician, registry["depot"])
    assert est.backend == "osrm" and est.distance_km == 31.2
    assert "51.507400;0.226500,51.454900" in osrm.paths[-1]
    assert selectors.travel_estimate_for(technician, None) is None
