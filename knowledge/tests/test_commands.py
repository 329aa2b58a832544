import io

from django.core.management import call_command

from accounts import demo as accounts_demo
from facilities import demo as facilities_demo
from knowledge import demo, reliability, selectors
from knowledge.models import Article, ArticleStatus
from tickets import demo as tickets_demo
from tickets.models import Ticket


def test_rebuild_rerenders_with_progress_and_dry_run(engineer, article_factory):
    for i in range(7):
        article_factory(author=engineer, title=f"Valve {i}", body=f"**step {i}**")
    Article.objects.filter(title__in=["Valve 1", "Valve 4"]).update(body_html="<script>stale</script>")
    out = io.StringIO()
    call_command("rebuild_knowledge", "--dry-run", "--batch-size", "3", stdout=out)
    assert "2 article(s) would change" in out.getvalue()
    assert "articles: 3/7" in out.getvalue() and "articles: 7/7 (100%)" in out.getvalue()
    assert Article.objects.filter(body_html__contains="script").count() == 2
    out = io.StringIO()
    call_command("rebuild_knowledge", "--batch-size", "3", stdout=out)
    assert "2 article(s) changed" in out.getvalue()
    assert not Article.objects.filter(body_html__contains="script").exists()
    assert Article.objects.get(title="Valve 4").body_html == "<p><strong>step 4</strong></p>\n"
    assert [a.title for a in selectors.article_list(user=engineer, q="valve 4")] == ["Valve 4"]


def test_demo_is_idempotent_and_feeds_the_pages(db):
    out = io.StringIO()
    accounts_demo.seed(out)
    facilities_demo.seed(out)
    tickets_demo.seed(out)
    demo.seed(out)
    articles, tickets = Article.objects.count(), Ticket.objects.count()
    assert articles == len(demo.ARTICLES) + 1  # + the one written from the resolved sink ticket
    assert set(Article.objects.values_list("status", flat=True)) == {s.value for s in ArticleStatus}
    demo.seed(out)
    assert (Article.objects.count(), Ticket.objects.count()) == (articles, tickets)
    rows = {r.label: r for r in reliability.reliability(grouping="equipment", use_cache=False)}
    hvac = rows["HQ-HVAC-001"]
    assert hvac.failures >= 4 and hvac.mtbf_days is not None and hvac.mttr_hours is not None
    assert rows["HQ-PRN-101"].repeats >= 2
