"""Builders for knowledge tests: articles in any state, equipment, tickets with a known history."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from facilities.models import Equipment, EquipmentModel, Manufacturer, Site
from knowledge.models import Article, ArticleStatus, Visibility
from knowledge.rendering import render_markdown
from tickets.models import Status, Ticket, TicketEvent

# The test database is a FILE when SQLite is used, not the in-memory default: the qcluster
# integration test (test_reliability_qcluster.py) starts a worker process that must see the same
# data. As in notifications/tests/conftest.py, this applies to the whole pytest session.
_db = settings.DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3" and not _db.get("TEST", {}).get("NAME"):
    _db.setdefault("TEST", {})["NAME"] = str(settings.BASE_DIR / ".test-knowledge.sqlite3")


def make_article(*, author, title="How to bleed a radiator", body="Open the valve a quarter turn.",
                 status=ArticleStatus.PUBLISHED, visibility=Visibility.CUSTOMERS, **extra) -> Article:
    """An article put straight into a state (set-up only; the services are what is tested)."""
    return Article.objects.create(author=author, title=title, body=body, body_html=render_markdown(body),
                                  status=status, visibility=visibility,
                                  published_at=timezone.now() if status == ArticleStatus.PUBLISHED else None,
                                  **extra)


@pytest.fixture
def article_factory(db):
    return make_article


@pytest.fixture
def plant(db):
    """Two models of one maker plus one of another, each with units at two sites."""
    hq, depot = Site.objects.create(name="HQ"), Site.objects.create(name="Depot")
    daikin, otis = Manufacturer.objects.create(name="Daikin"), Manufacturer.objects.create(name="Otis")
    ftxm = EquipmentModel.objects.create(manufacturer=daikin, name="FTXM35", category="HVAC")
    vrv = EquipmentModel.objects.create(manufacturer=daikin, name="VRV IV", category="HVAC")
    gen2 = EquipmentModel.objects.create(manufacturer=otis, name="Gen2", category="Lifts")
    units = {
        "ac1": Equipment.objects.create(asset_tag="AC-1", model=ftxm, site=hq,
                                        warranty_end=timezone.localdate() - timedelta(days=100)),
        "ac2": Equipment.objects.create(asset_tag="AC-2", model=ftxm, site=depot),
        "vrv": Equipment.objects.create(asset_tag="VRV-1", model=vrv, site=hq),
        "lift": Equipment.objects.create(asset_tag="LIFT-1", model=gen2, site=depot,
                                         warranty_end=timezone.localdate() + timedelta(days=365)),
    }
    return {"hq": hq, "depot": depot, "daikin": daikin, "otis": otis, "ftxm": ftxm, "vrv": vrv, "gen2": gen2,
            **units}


def make_failure(*, requester, equipment, at, status=Status.CLOSED, started=None, resolved=None,
                 title="Unit not cooling", assignee=None) -> Ticket:
    """A ticket reported at ``at``; with ``started``/``resolved`` a start event and resolution time."""
    ticket = Ticket.objects.create(requester=requester, equipment=equipment, site=equipment.site, title=title,
                                   description="It stopped working.", status=status, assignee=assignee,
                                   assigned_at=started, resolved_at=resolved)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=at)
    ticket.refresh_from_db()
    if started:
        event = TicketEvent.objects.create(ticket=ticket, actor=assignee or requester, action="start",
                                           from_status=Status.ASSIGNED, to_status=Status.IN_PROGRESS)
        TicketEvent.objects.filter(pk=event.pk).update(created_at=started)
    return ticket


@pytest.fixture
def failure_factory(db):
    return make_failure


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Reliability figures are cached (per filter set): no test sees another's. The shared cache's
    database table (the default profile) is in the test database, rolled back after each test;
    another shared cache (Redis, CACHE_URL) is emptied here."""
    from django.core.cache import cache, caches
    from django.core.cache.backends.db import DatabaseCache

    def clear():
        cache.clear()
        if not isinstance(caches["shared"], DatabaseCache):
            caches["shared"].clear()

    clear()
    yield
    clear()
