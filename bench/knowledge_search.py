"""Knowledge search latency at scale: N articles, the ranked search selector timed per query.

    python bench/knowledge_search.py                          # SQLite (FTS5), 100,000 articles
    python bench/knowledge_search.py --backend basic          # SQLite word matching, for comparison
    DATABASE_URL=postgres://... python bench/knowledge_search.py   # PostgreSQL full-text + GIN

Seeds a separate database (``bench/data/kb-<N>.sqlite3`` unless DATABASE_URL is set) once with
synthetic articles (a fixed vocabulary, title and body, mixed visibility and status), then times
the page's query (``selectors.article_list``: the first page of 20 and the count) and the
suggestion query, as staff and as a customer. Prints a markdown table (median and p95 of
``--repeat`` runs, in ms) and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTHOR_EMAIL = "kb-bench-engineer@bench.fixdesk.test"
READER_EMAIL = "kb-bench-customer@bench.fixdesk.test"

WORDS = ("valve pump compressor radiator boiler lift door closer printer toner fuser drum jam sensor relay "
         "fuse breaker cable socket switch light tube ballast thermostat timer heating cooling fan belt motor "
         "bearing seal gasket leak drip noise vibration alarm panel display error code reset battery charger "
         "filter drain pipe trap sink tap washer cistern flush lock hinge handle window blind roller track "
         "sash frame glass crack roof gutter tile floor carpet stain paint wall ceiling damp mould vent duct "
         "grille damper chiller condenser evaporator refrigerant pressure gauge meter reading calibration "
         "firmware network router port cable patch projector screen speaker microphone camera badge reader "
         "barrier gate intercom").split()
RARE = "zirconium"  # in about 1 article in 1,000

QUERIES = {
    "one common word": "leak",
    "two words": "compressor noise",
    "prefix while typing": "radi",
    "rare word": RARE,
    "no match": "xylophone",
}


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def seed_articles(n: int, *, seed: int = 7, chunk: int = 5000, stdout=sys.stdout) -> int:
    """Add synthetic articles until there are ``n`` (bulk inserts; the FTS triggers keep up)."""
    from django.db import transaction

    from accounts.models import Role, User
    from knowledge.models import Article, ArticleStatus, Visibility
    from knowledge.rendering import render_markdown

    author, _ = User.objects.get_or_create(email=AUTHOR_EMAIL, defaults={
        "role": Role.ENGINEER, "first_name": "Bench", "last_name": "Engineer"})
    User.objects.get_or_create(email=READER_EMAIL, defaults={
        "role": Role.CUSTOMER, "first_name": "Bench", "last_name": "Customer"})
    have = Article.objects.count()
    rng = random.Random(seed + have)
    now = datetime.now(UTC)
    while have < n:
        size = min(chunk, n - have)
        rows = []
        for i in range(size):
            title = _text(rng, 6).capitalize()
            body = _text(rng, 120) + (f" {RARE}" if (have + i) % 1000 == 0 else "")
            rows.append(Article(
                title=title, body=body, body_html=render_markdown(body) if i % 100 == 0 else f"<p>{body}</p>",
                author=author, published_at=now,
                status=ArticleStatus.PUBLISHED if rng.random() < 0.9 else ArticleStatus.DRAFT,
                visibility=Visibility.CUSTOMERS if rng.random() < 0.6 else Visibility.STAFF,
            ))
        with transaction.atomic():
            Article.objects.bulk_create(rows, batch_size=1000)
        have += size
        stdout.write(f"articles: {have:,}/{n:,} ({have / n:.0%})\n")
    # Fresh planner statistics, as autovacuum would gather: without them PostgreSQL does not
    # know the full-text expression's selectivity and may scan the table instead of the GIN index.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_article")
    return have


def measure(*, repeat: int = 15) -> list[dict]:
    """Median and p95 (ms) of each query: results page (20 rows + count) and suggestions."""
    from accounts.models import User
    from knowledge import selectors
    from knowledge.search import backend_name

    staff = User.objects.get(email=AUTHOR_EMAIL)
    customer = User.objects.get(email=READER_EMAIL)
    out = []
    for label, q in QUERIES.items():
        for who, user in (("staff", staff), ("customer", customer)):
            def page(user=user, q=q):
                qs = selectors.article_list(user=user, q=q)
                return len(list(qs[:20])), qs.count()

            def suggest(user=user, q=q):
                return len(selectors.suggestions_for(user=user, text=q))

            for kind, fn in (("results page", page), ("suggestions", suggest)):
                fn()  # warm
                times = []
                for _ in range(repeat):
                    start = time.perf_counter()
                    result = fn()
                    times.append((time.perf_counter() - start) * 1000)
                times.sort()
                out.append({"query": label, "text": q, "as": who, "kind": kind, "backend": backend_name(),
                            "median_ms": round(statistics.median(times), 2),
                            "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
                            "hits": result[1] if isinstance(result, tuple) else result})
    return out


def table(rows: list[dict]) -> str:
    lines = ["| backend | query | as | what | hits | median ms | p95 ms |", "|---|---|---|---|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['backend']} | {r['query']} (`{r['text']}`) | {r['as']} | {r['kind']} | {r['hits']:,} | "
                     f"{r['median_ms']} | {r['p95_ms']} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="knowledge search latency at N articles")
    parser.add_argument("--articles", type=int, default=int(os.environ.get("N", 100_000)))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--backend", choices=["auto", "basic"], default="auto")
    args = parser.parse_args(argv)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'data' / f'kb-{args.articles}.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("DEBUG", "0")
    os.environ["KNOWLEDGE_SEARCH_BACKEND"] = args.backend
    os.environ["DJANGO_SETTINGS_MODULE"] = "helpdesk.settings"
    sys.path.insert(0, str(ROOT))
    (ROOT / "bench" / "data").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    total = seed_articles(args.articles)
    print(f"{total:,} articles ready in {time.perf_counter() - started:.0f} s ({connection.vendor})")
    rows = measure(repeat=args.repeat)
    print(table(rows))
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = results / f"knowledge-search-{connection.vendor}-{rows[0]['backend']}-{args.articles}-{stamp}.json"
    path.write_text(json.dumps({"articles": total, "vendor": connection.vendor, "rows": rows}, indent=2))
    print(f"written {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
