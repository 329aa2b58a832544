"""Real Chromium: a customer typing a new ticket on a phone is offered an article and leaves
without creating a ticket; the helpful vote is swapped in place; stale reliability figures are
replaced in place once recomputed."""

import pytest
from django.urls import reverse

from knowledge.models import Article, Deflection
from tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(pg, live_server, user, password):
    pg.goto(live_server.url + reverse("accounts:login"))
    pg.fill("input[name=username]", user.email)
    pg.fill("input[name=password]", password)
    pg.click("main button[type=submit]")
    pg.wait_for_url(live_server.url + "/")


def test_suggestion_while_typing_deflects_the_ticket(phone_page, live_server, users, password, article_factory,
                                                    screenshot):
    article = article_factory(author=users["engineer"], title="Air conditioner drips water",
                              body="1. Switch the unit off.\n2. Clear the **drain** pipe.")
    article_factory(author=users["engineer"], title="Compressor relay trick", visibility="staff",
                    body="Air conditioner water internal notes.")
    pg = phone_page
    login(pg, live_server, users["customer"], password)
    pg.goto(live_server.url + reverse("tickets:create"))
    pg.locator("#id_title").press_sequentially("water dripping from air con", delay=30)
    suggestion = pg.locator("#kb-suggestions a", has_text="Air conditioner drips water")
    suggestion.wait_for()
    assert "Compressor relay trick" not in pg.inner_text("#kb-suggestions")
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(pg, "knowledge-suggestions-on-ticket-form")
    pg.click("#kb-suggestions button:has-text('This solved it')")
    pg.wait_for_selector(".alert-success")
    assert "No ticket was created" in pg.inner_text("main")
    assert pg.url.endswith(article.get_absolute_url())
    assert not Ticket.objects.exists()
    assert Deflection.objects.get().query == "water dripping from air con"

    pg.click("#vote button:has-text('Yes')")
    pg.wait_for_selector("#vote :text('Thank you')")
    assert pg.url.endswith(article.get_absolute_url())  # swapped in place, no reload
    assert Article.objects.get(pk=article.pk).helpful_yes == 1


def test_stale_reliability_figures_are_replaced_in_place_once_recomputed(
        phone_page, live_server, users, password, plant, failure_factory, settings):
    """The page shows the stored figures with their time; once the queued recompute has run, its
    poll swaps the new figures in without a reload."""
    from datetime import timedelta

    from django.core.cache import caches
    from django.utils import timezone

    from knowledge import reliability
    from knowledge.tests.test_reliability_freshness import run_queued_tasks

    caches["shared"].clear()  # its table is not emptied between transactional tests
    settings.RELIABILITY_REFRESH_SECONDS = 0
    failure_factory(requester=users["customer"], equipment=plant["vrv"], at=timezone.now() - timedelta(days=3))
    reliability.figures()  # stored: 1 failure
    failure_factory(requester=users["customer"], equipment=plant["vrv"], at=timezone.now() - timedelta(days=1))
    reliability.invalidate()  # what the receivers do after a change commits
    pg = phone_page
    login(pg, live_server, users["engineer"], password)
    pg.goto(live_server.url + reverse("knowledge:reliability"))
    freshness = pg.locator("[data-testid=figures-freshness]")
    assert "1 failures in 1 groups" in freshness.inner_text()
    assert "newer figures are being computed" in freshness.inner_text()
    pg.evaluate("window.notReloaded = true")
    assert run_queued_tasks() == 1  # what the django-q2 worker does (test_reliability_qcluster.py)
    pg.wait_for_selector("[data-testid=figures-freshness]:has-text('2 failures in 1 groups')", timeout=30_000)
    assert "newer figures are being computed" not in freshness.inner_text()
    assert pg.evaluate("window.notReloaded === true")  # swapped in place, no reload
