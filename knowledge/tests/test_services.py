"""Article services: who writes, proposes, publishes; votes; deflections; tickets become drafts."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowledge import services
from knowledge.models import Article, ArticleStatus, Deflection, Visibility, Vote
from knowledge.services import ArticleStateError
from tickets.models import Status
from tickets.tests.conftest import make_ticket


def _create(actor, **extra):
    kwargs = {"title": "Reset the chiller", "body": "1. Stop it\n2. **Wait**", "tags": "HVAC, chiller, hvac",
              "categories": "HVAC, Chillers"}
    kwargs.update(extra)
    return services.article_create(actor=actor, **kwargs)


@pytest.mark.parametrize("role", ["admin", "engineer", "technician"])
def test_staff_create_drafts(role, users):
    article = _create(users[role])
    assert article.status == ArticleStatus.DRAFT and article.author == users[role]
    assert "<strong>Wait</strong>" in article.body_html
    assert sorted(t.name for t in article.tags.all()) == ["chiller", "hvac"]
    assert article.categories == ",chillers,hvac," and article.category_list == ["chillers", "hvac"]


def test_customers_cannot_write(customer):
    with pytest.raises(PermissionDenied):
        _create(customer)
    assert not Article.objects.exists()


def test_bad_input_is_refused_whole(engineer):
    with pytest.raises(ValidationError) as exc:
        services.article_create(actor=engineer, title=" ", body="", visibility="everyone")
    assert set(exc.value.error_dict) == {"title", "body", "visibility"}
    with pytest.raises(ValidationError):
        _create(engineer, tags=",".join(f"t{i}" for i in range(11)))
    assert not Article.objects.exists()


def test_technician_proposes_engineer_publishes(technician, engineer):
    article = _create(technician)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=technician, article=article)
    article = services.article_propose(actor=technician, article=article)
    assert article.status == ArticleStatus.REVIEW
    with pytest.raises(PermissionDenied):  # proposals are the reviewer's now
        services.article_update(actor=technician, article=article, title="x", body="y", visibility="staff")
    article = services.article_publish(actor=engineer, article=article)
    assert article.status == ArticleStatus.PUBLISHED and article.published_by == engineer
    assert article.published_at is not None
    with pytest.raises(ArticleStateError):
        services.article_publish(actor=engineer, article=article)


def test_reviewer_sends_proposal_back(technician, engineer):
    article = services.article_propose(actor=technician, article=_create(technician))
    with pytest.raises(PermissionDenied):
        services.article_return(actor=technician, article=article)
    article = services.article_return(actor=engineer, article=article)
    assert article.status == ArticleStatus.DRAFT
    with pytest.raises(ArticleStateError):
        services.article_return(actor=engineer, article=article)


def test_only_the_author_proposes(technician, user_factory):
    other = user_factory("technician")
    article = _create(technician)
    with pytest.raises(ArticleStateError):
        services.article_propose(actor=other, article=article)


def test_unpublish_hides_again(engineer, customer, article_factory):
    article = article_factory(author=engineer)
    services.article_unpublish(actor=engineer, article=article)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    with pytest.raises(PermissionDenied):
        services.article_vote(actor=customer, article=article, helpful=True)


def test_one_vote_per_user_changing_it_recounts(customer, engineer, technician, article_factory):
    article = article_factory(author=engineer)
    services.article_vote(actor=customer, article=article, helpful=True)
    services.article_vote(actor=customer, article=article, helpful=True)
    services.article_vote(actor=technician, article=article, helpful=True)
    article = services.article_vote(actor=customer, article=article, helpful=False)
    assert (article.helpful_yes, article.helpful_no) == (1, 1)
    assert Vote.objects.filter(article=article).count() == 2


def test_customers_cannot_vote_on_staff_articles(customer, engineer, article_factory):
    article = article_factory(author=engineer, visibility=Visibility.STAFF)
    with pytest.raises(PermissionDenied):
        services.article_vote(actor=customer, article=article, helpful=True)


def test_deflection_is_counted(customer, engineer, article_factory):
    article = article_factory(author=engineer)
    services.article_deflect(actor=customer, article=article, query="  AC drips  ")
    services.article_deflect(actor=customer, article=article, query="x" * 500)
    article.refresh_from_db()
    assert article.deflections == 2
    assert Deflection.objects.filter(article=article, user=customer, query="AC drips").exists()
    assert len(Deflection.objects.order_by("id").last().query) == 200


@pytest.mark.parametrize("status,allowed", [(Status.RESOLVED, True), (Status.CLOSED, True),
                                            (Status.IN_PROGRESS, False), (Status.NEW, False)])
def test_draft_from_ticket_only_once_resolved(status, allowed, engineer, customer):
    ticket = make_ticket(requester=customer, status=status)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.article_create_from_ticket(actor=engineer, ticket=ticket, title="t", body="b")
        return
    article = services.article_create_from_ticket(actor=engineer, ticket=ticket, title="t", body="b")
    assert article.source_ticket == ticket and article.status == ArticleStatus.DRAFT


def test_technician_drafts_only_from_tickets_they_see(technician, customer):
    ticket = make_ticket(requester=customer, status=Status.RESOLVED)
    with pytest.raises(PermissionDenied):
        services.article_create_from_ticket(actor=technician, ticket=ticket, title="t", body="b")
    ticket.assignee = technician
    ticket.save()
    assert services.article_create_from_ticket(actor=technician, ticket=ticket, title="t", body="b").pk


def test_delete_rules(admin, engineer, technician, article_factory):
    published = article_factory(author=engineer)
    with pytest.raises(PermissionDenied):
        services.article_delete(actor=engineer, article=published)
    own_draft = article_factory(author=technician, status=ArticleStatus.DRAFT)
    services.article_delete(actor=technician, article=own_draft)
    services.article_delete(actor=admin, article=published)
    assert not Article.objects.exists()


def test_publish_locks_the_row(engineer, technician):
    article = _create(technician)
    with CaptureQueriesContext(connection) as ctx:
        services.article_publish(actor=engineer, article=article)
    if connection.vendor == "postgresql":
        assert any("FOR UPDATE" in q["sql"] for q in ctx.captured_queries)
