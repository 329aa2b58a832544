"""Real Chromium: a customer typing a new ticket on a phone is offered an article and leaves
without creating a ticket; the helpful vote is swapped in place."""

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
