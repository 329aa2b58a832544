"""Stored script injection: hostile ticket fields, comments, names, Markdown articles and messages
are shown as text everywhere they appear (pages and the API), never as markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from knowledge.rendering import render_markdown
from tickets import services as ticket_services

PAYLOADS = [
    "<script>alert('xss')</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><iframe src="javascript:alert(1)">',
    "<a href='javascript:alert(1)'>click</a>",
]
MARKDOWN = [
    "[click me](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](x\" onerror=\"alert(1))",
    "<script>alert(1)</script>",
    "<a href=\"javascript:alert(1)\">raw html</a>",
    "[x](vbscript:msgbox(1))",
    "<img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
]


class _Scan(HTMLParser):
    """Real markup an attacker could have planted: script elements, event-handler attributes,
    script URLs, frames. Escaped text (``&lt;script&gt;``) is harmless and not reported."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed") and not (tag == "script" and dict(attrs).get("src")):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value:
                v = "".join(value.split()).lower()
                if v.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.found.append(f"{tag} {name}={value}")


def _dangerous(html: str) -> list[str]:
    scan = _Scan()
    scan.feed(html)
    return scan.found


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS)
def test_ticket_fields_and_comments_are_escaped(users, client_for, payload):
    customer = users["customer"]
    customer.first_name = payload[:100]
    customer.save(update_fields=["first_name"])
    ticket = ticket_services.ticket_create(actor=customer, title=payload[:200], description=payload,
                                           affected_item=payload[:100])
    ticket_services.comment_add(actor=customer, ticket=ticket, body=payload)
    for role in ("customer", "admin"):
        client = client_for(users[role])
        for url in (ticket.get_absolute_url(), reverse("tickets:list"), reverse("dashboard"),
                    reverse("notifications:list")):
            html = client.get(url).content.decode()
            assert not _dangerous(html), (role, url, _dangerous(html))
    admin = client_for(users["admin"])
    for url in (reverse("tickets:queue"), reverse("accounts:people")):
        assert not _dangerous(admin.get(url).content.decode()), url


@pytest.mark.parametrize("text", MARKDOWN)
def test_markdown_rendering_drops_scripts_and_dangerous_links(text):
    assert not _dangerous(render_markdown(text)), render_markdown(text)


@pytest.mark.django_db
def test_article_page_shows_hostile_markdown_harmlessly(users, client_for):
    from knowledge.tests.conftest import make_article

    article = make_article(author=users["engineer"], title="<script>alert(1)</script>", body="\n\n".join(MARKDOWN))
    html = client_for(users["customer"]).get(reverse("knowledge:detail", args=[article.pk])).content.decode()
    assert not _dangerous(html)
