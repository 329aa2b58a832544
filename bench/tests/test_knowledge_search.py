"""The knowledge search benchmark seeds what it says and measures the real selector."""

import io

from bench.knowledge_search import QUERIES, RARE, measure, seed_articles, table
from knowledge.models import Article


def test_seed_and_measure(db):
    out = io.StringIO()
    assert seed_articles(1200, chunk=500, stdout=out) == 1200
    assert "articles: 1,200/1,200 (100%)" in out.getvalue()
    assert seed_articles(1200, stdout=out) == 1200  # idempotent: tops up only
    assert Article.objects.filter(body__contains=RARE).count() == 2
    rows = measure(repeat=2)
    assert len(rows) == len(QUERIES) * 2 * 2
    staff_rare = next(r for r in rows if r["text"] == RARE and r["as"] == "staff" and r["kind"] == "results page")
    assert staff_rare["hits"] == Article.objects.filter(body__contains=RARE).count()
    assert all(r["hits"] == 0 for r in rows if r["text"] == "xylophone")
    assert "| median ms |" in table(rows)
