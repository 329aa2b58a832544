"""User-facing strings are marked for translation, and times show in the user's own time zone."""

import re
from datetime import UTC
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Text that is not a word of any language: brand names, symbols, numbers, placeholders.
NOT_WORDS = r"\b(Fixdesk|FD-\d+|PDF|CSV|QR|SMS|API|SHA-256|km|min|h)\b|&\w+;"  # names, units, entities
ALLOWED = {"Fixdesk", "·", "×", "—", "–", "/", "|", "#", ":", "(", ")", "…", "&times;", "&middot;", "&nbsp;"}


def _untranslated(source: str) -> list[str]:
    """Words shown to the user outside {% translate %}/{% blocktranslate %} (visible text between tags)."""
    text = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"{%.*?%}|{{.*?}}", " ", text, flags=re.S)
    text = re.sub(r"<[^>]*>", "\n", text, flags=re.S)
    found = []
    for chunk in text.splitlines():
        chunk = chunk.strip()
        if not chunk or chunk in ALLOWED or not re.search(r"[A-Za-z]{2,}", chunk):
            continue
        if not re.search(r"[A-Za-z]{2,}", re.sub(NOT_WORDS, " ", chunk)):
            continue
        found.append(chunk)
    return found


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*.html") if "email" not in p.parts and "admin" not in p.parts)


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_text_is_marked_for_translation(path):
    source = path.read_text()
    found = _untranslated(source)
    assert not found, f"{path.relative_to(TEMPLATES)}: wrap in {{% translate %}}: {found[:8]}"
    if "{% translate" in source or "{% blocktranslate" in source:
        assert "{% load" in source and "i18n" in source, "uses translate without {% load i18n %}"


def test_checker_catches_plain_text():
    assert _untranslated("<p>Hello there</p>") == ["Hello there"]
    assert _untranslated("{% load i18n %}<p>{% translate 'Hello' %} · {{ name }}</p><b>Fixdesk</b>") == []


@pytest.mark.django_db
def test_times_show_in_the_users_time_zone(client_for, customer):
    from datetime import datetime

    from tickets import services
    from tickets.models import Ticket

    ticket = services.ticket_create(actor=customer, title="Clock test", description="When was this made?")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=datetime(2026, 1, 15, 23, 30, tzinfo=UTC))
    customer.time_zone = "Asia/Tokyo"  # UTC+9: 23:30 UTC is 8:30 the next morning
    customer.save(update_fields=["time_zone"])
    html = client_for(customer).get(ticket.get_absolute_url()).content.decode()
    assert re.search(r"01/16/2026 8:30 a\.m\.|16/01/2026 08:30|2026-01-16 08:30|Jan\. 16, 2026, 8:30 a\.m\.", html), \
        re.findall(r"2026[^<]{0,20}|[^>]{0,20}2026", html)[:6]
    customer.time_zone = ""  # none chosen: the site's zone
    customer.save(update_fields=["time_zone"])
    html = client_for(customer).get(ticket.get_absolute_url()).content.decode()
    assert "01/16/2026 8:30" not in html
