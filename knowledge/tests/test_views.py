"""Knowledge pages for every role, what each sees, query budgets, the ticket form's suggestions."""

import pytest
from django.urls import reverse

from knowledge.models import Article, ArticleStatus, Deflection, Visibility
from tickets.models import Status, Ticket
from tickets.services import ticket_transition
from tickets.tests.conftest import make_ticket

ROLES = ["admin", "engineer", "technician", "customer"]


@pytest.fixture
def kb(users, article_factory, plant):
    eng, tech = users["engineer"], users["technician"]
    public = article_factory(author=eng, title="Air conditioner drips water", body="Clear the **drain** pipe.")
    public.equipment_models.add(plant["ftxm"])
    internal = article_factory(author=eng, title="Compressor relay trick", visibility=Visibility.STAFF)
    draft = article_factory(author=eng, title="Unfinished draft", status=ArticleStatus.DRAFT)
    proposal = article_factory(author=tech, title="Tech proposal", status=ArticleStatus.REVIEW)
    return {"public": public, "internal": internal, "draft": draft, "proposal": proposal}


PAGES = {
    "knowledge:list": {"admin": 200, "engineer": 200, "technician": 200, "customer": 200},
    "knowledge:create": {"admin": 200, "engineer": 200, "technician": 200, "customer": 403},
    "knowledge:review": {"admin": 200, "engineer": 200, "technician": 403, "customer": 403},
    "knowledge:reliability": {"admin": 200, "engineer": 200, "technician": 403, "customer": 403},
    "knowledge:reliability_csv": {"admin": 200, "engineer": 200, "technician": 403, "customer": 403},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(PAGES))
def test_pages_by_role(client_for, users, kb, name, role):
    assert client_for(users[role]).get(reverse(name)).status_code == PAGES[name][role]


@pytest.mark.parametrize("name", list(PAGES) + ["knowledge:suggest"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


DETAIL = {  # article -> roles that may read it (others get 404: existence never leaks)
    "public": {"admin", "engineer", "technician", "customer"},
    "internal": {"admin", "engineer", "technician"},
    "draft": {"admin", "engineer"},
    "proposal": {"admin", "engineer", "technician"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", list(DETAIL))
def test_detail_by_role(client_for, users, kb, which, role):
    response = client_for(users[role]).get(kb[which].get_absolute_url())
    assert response.status_code == (200 if role in DETAIL[which] else 404)
    if response.status_code == 200:
        assert kb[which].title in response.content.decode()


def test_list_shows_customers_only_their_articles(client_for, users, kb):
    html = client_for(users["customer"]).get(reverse("knowledge:list")).content.decode()
    assert "Air conditioner drips water" in html
    for hidden in ("Compressor relay trick", "Unfinished draft", "Tech proposal"):
        assert hidden not in html


def test_search_page_ranks_and_counts(client_for, users, kb, article_factory):
    article_factory(author=users["engineer"], title="Pipes", body="water water everywhere")
    response = client_for(users["customer"]).get(reverse("knowledge:list"), {"q": "water"})
    html = response.content.decode()
    assert html.index("Air conditioner drips water") < html.index("Pipes")
    assert "2 articles match" in html


@pytest.mark.parametrize("params", [{"q": "x" * 5000}, {"model": "abc", "page": "-1"}, {"status": "bogus"},
                                    {"q": "\x00"}, {"tag": "<script>"}])
def test_list_survives_garbage(client_for, users, kb, params):
    assert client_for(users["engineer"]).get(reverse("knowledge:list"), params).status_code == 200


def test_list_query_budget(client_for, users, kb, article_factory, django_assert_max_num_queries):
    for i in range(30):
        a = article_factory(author=users["engineer"], title=f"Water article {i}")
        a.tags.create(name=f"tag{i}")
    c = client_for(users["engineer"])
    with django_assert_max_num_queries(12):
        assert c.get(reverse("knowledge:list"), {"q": "water"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert c.get(reverse("knowledge:list")).status_code == 200


def test_detail_query_budget(client_for, users, kb, django_assert_max_num_queries):
    c = client_for(users["customer"])
    with django_assert_max_num_queries(12):
        assert c.get(kb["public"].get_absolute_url()).status_code == 200


def test_create_keeps_input_on_error_and_saves(client_for, users):
    c = client_for(users["technician"])
    response = c.post(reverse("knowledge:create"), {"title": "", "body": "Keep me", "visibility": "staff"})
    assert response.status_code == 200 and "Keep me" in response.content.decode()
    response = c.post(reverse("knowledge:create"), {"title": "Fuse box", "body": "<script>x</script> **ok**",
                                                    "visibility": "customers", "tags": "power"})
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    html = c.get(article.get_absolute_url()).content.decode()
    assert "<strong>ok</strong>" in html and "<script>x" not in html and "&lt;script&gt;" in html


def test_review_flow_through_pages(client_for, users):
    tech, eng = client_for(users["technician"]), client_for(users["engineer"])
    tech.post(reverse("knowledge:create"), {"title": "Door closer", "body": "Adjust", "visibility": "customers"})
    article = Article.objects.get()
    assert tech.post(reverse("knowledge:action", args=[article.pk, "publish"])).status_code == 403
    tech.post(reverse("knowledge:action", args=[article.pk, "propose"]))
    assert "Door closer" in eng.get(reverse("knowledge:review")).content.decode()
    response = eng.post(reverse("knowledge:action", args=[article.pk, "publish"]), follow=True)
    assert "Published." in response.content.decode()
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    response = eng.post(reverse("knowledge:action", args=[article.pk, "publish"]), follow=True)
    assert "already published" in response.content.decode()
    assert eng.post(reverse("knowledge:action", args=[article.pk, "nonsense"])).status_code == 404
    assert eng.get(reverse("knowledge:action", args=[article.pk, "publish"])).status_code == 405


def test_vote_is_post_only_and_htmx_swaps(client_for, users, kb):
    c = client_for(users["customer"])
    url = reverse("knowledge:vote", args=[kb["public"].pk])
    assert c.get(url).status_code == 405
    response = c.post(url, {"helpful": "yes"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    c.post(url, {"helpful": "no"})
    kb["public"].refresh_from_db()
    assert (kb["public"].helpful_yes, kb["public"].helpful_no) == (0, 1)
    assert c.post(reverse("knowledge:vote", args=[kb["internal"].pk]), {"helpful": "yes"}).status_code == 404
    c.post(url, {"helpful": "maybe"})
    kb["public"].refresh_from_db()
    assert kb["public"].helpful_no == 1


def test_ticket_form_carries_the_suggestion_hook(client_for, users):
    html = client_for(users["customer"]).get(reverse("tickets:create")).content.decode()
    assert f'hx-get="{reverse("knowledge:suggest")}"' in html


def test_suggestions_while_typing(client_for, users, kb, plant):
    old = make_ticket(requester=users["customer"], status=Status.CLOSED, equipment=plant["ac1"],
                      title="Water dripping from the AC")
    others = make_ticket(requester=users["admin"], status=Status.CLOSED, equipment=plant["ac2"],
                         title="Water dripping at reception")
    c = client_for(users["customer"])
    html = c.get(reverse("knowledge:suggest"), {"title": "water dripping", "description": "",
                                                "equipment": plant["ac1"].pk}).content.decode()
    assert "Air conditioner drips water" in html and "This solved it" in html
    assert old.reference in html
    assert others.reference not in html  # another requester's ticket stays invisible
    assert "Compressor relay trick" not in html
    assert c.get(reverse("knowledge:suggest"), {"title": ""}).content.decode().strip() == ""
    staff = client_for(users["engineer"]).get(reverse("knowledge:suggest"), {
        "title": "water dripping", "equipment": plant["ac2"].pk}).content.decode()
    assert others.reference in staff and old.reference in staff


def test_this_solved_it_counts_and_creates_no_ticket(client_for, users, kb):
    c = client_for(users["customer"])
    response = c.post(reverse("knowledge:deflect", args=[kb["public"].pk]), {"query": "AC drips"}, follow=True)
    assert "No ticket was created" in response.content.decode()
    assert Deflection.objects.filter(user=users["customer"], query="AC drips").count() == 1
    assert not Ticket.objects.exists()
    assert c.post(reverse("knowledge:deflect", args=[kb["internal"].pk])).status_code == 404
    dashboard = client_for(users["admin"]).get(reverse("dashboard")).content.decode()
    assert "1 tickets avoided in 30 days" in dashboard


def test_article_from_resolved_ticket_is_prefilled(client_for, users, plant):
    eng = users["engineer"]
    ticket = make_ticket(requester=users["customer"], status=Status.IN_PROGRESS, assignee=eng,
                         equipment=plant["ac1"], title="AC leaking", description="Water on the desk.")
    ticket_transition(actor=eng, ticket=ticket, action="resolve", comment="Drain pipe blocked; cleared it.")
    c = client_for(eng)
    detail = c.get(ticket.get_absolute_url()).content.decode()
    url = reverse("knowledge:from_ticket", args=[ticket.pk])
    assert url in detail
    html = c.get(url).content.decode()
    assert "Daikin FTXM35: AC leaking" in html and "Drain pipe blocked; cleared it." in html
    assert "Water on the desk." in html and "hvac" in html.lower()
    response = c.post(url, {"title": "Daikin FTXM35 leaks", "body": "Clear the drain.", "visibility": "staff",
                            "equipment_models": [plant["ftxm"].pk], "categories": "HVAC"})
    article = Article.objects.get()
    assert response.status_code == 302 and article.source_ticket == ticket
    assert list(article.equipment_models.all()) == [plant["ftxm"]]
    assert ticket.reference in c.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_from_ticket_button_and_page_by_role(client_for, users, plant, role):
    ticket = make_ticket(requester=users["customer"], status=Status.RESOLVED, assignee=users["technician"])
    c = client_for(users[role])
    url = reverse("knowledge:from_ticket", args=[ticket.pk])
    expected = {"admin": 200, "engineer": 200, "technician": 200, "customer": 403}[role]
    assert c.get(url).status_code == expected
    assert (url in c.get(ticket.get_absolute_url()).content.decode()) == (expected == 200)
    open_ticket = make_ticket(requester=users["customer"], status=Status.IN_PROGRESS)
    assert c.get(reverse("knowledge:from_ticket", args=[open_ticket.pk])).status_code in (403, 404)
    assert c.get(reverse("knowledge:from_ticket", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_panel_by_role(client_for, users, kb, role):
    html = client_for(users[role]).get(reverse("dashboard")).content.decode()
    title = {"admin": "Articles proposed for review", "engineer": "Articles proposed for review",
             "technician": "My article drafts", "customer": "Most helpful articles"}[role]
    assert title in html
    if role == "customer":
        assert "Compressor relay trick" not in html
    # Each row links to its article; reviewers see who proposed it.
    shown = {"admin": "proposal", "engineer": "proposal", "technician": "proposal", "customer": "public"}[role]
    article = kb[shown]
    assert f'<a href="{article.get_absolute_url()}">{article.title}</a>' in html
    if role in ("admin", "engineer"):
        assert f"· {users['technician'].get_full_name()}</small>" in html


def test_suggest_query_budget(client_for, users, kb, plant, article_factory, django_assert_max_num_queries):
    for i in range(20):
        article_factory(author=users["engineer"], title=f"Water drip case {i}")
        make_ticket(requester=users["customer"], status=Status.CLOSED, equipment=plant["ac1"],
                    title=f"Water drip {i}")
    c = client_for(users["customer"])
    with django_assert_max_num_queries(8):
        response = c.get(reverse("knowledge:suggest"), {"title": "water drip", "equipment": plant["ac1"].pk})
    html = response.content.decode()
    assert html.count("This solved it") == 5 and html.count("Solved before:") == 5
