"""Every write to the knowledge base (keyword-only, the acting user passed, checked again here)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knowledge import permissions
from knowledge.models import Article, ArticleStatus, Deflection, Tag, Visibility, Vote
from knowledge.rendering import render_markdown

MAX_TAGS = 10
MAX_TAG_LENGTH = 50


class ArticleStateError(Exception):
    """A refused state change (already published, not a proposal, ...): nothing was written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_tags(value) -> list[str]:
    """"Leak, HVAC ,leak" -> ["hvac", "leak"] (lower case, unique, sorted)."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return sorted({" ".join(str(t).split()).lower() for t in items if str(t).strip()})


def parse_categories(value) -> str:
    """Equipment categories as stored: ",hvac,lifts," (lower case, unique, sorted), or ""."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    names = sorted({" ".join(str(c).split()).lower() for c in items if str(c).strip()})
    return f",{','.join(names)}," if names else ""


def _clean(*, title, body, visibility, tags) -> dict:
    title, body = (title or "").strip(), (body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the article a title.")
    elif len(title) > 200:
        errors["title"] = _("At most 200 characters.")
    if not body:
        errors["body"] = _("Write the article.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Unknown visibility.")
    tag_names = parse_tags(tags)
    if len(tag_names) > MAX_TAGS:
        errors["tags"] = _("At most %(n)s tags.") % {"n": MAX_TAGS}
    elif any(len(t) > MAX_TAG_LENGTH for t in tag_names):
        errors["tags"] = _("A tag has at most %(n)s characters.") % {"n": MAX_TAG_LENGTH}
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "visibility": visibility, "tags": tag_names}


def _set_relations(article: Article, *, tags: list[str], equipment_models) -> None:
    tag_rows = []
    for name in tags:
        tag, _created = Tag.objects.get_or_create(name=name)
        tag_rows.append(tag)
    article.tags.set(tag_rows)
    article.equipment_models.set(list(equipment_models or []))


@transaction.atomic
def article_create(*, actor, title: str, body: str, visibility: str = Visibility.STAFF, tags=(),
                   equipment_models=(), categories=(), source_ticket=None, source_report_id=None) -> Article:
    """A new draft by ``actor`` (staff only); the body is rendered and sanitised once, here."""
    if not permissions.can_create(actor):
        raise PermissionDenied(_("You may not write articles."))
    data = _clean(title=title, body=body, visibility=visibility, tags=tags)
    if source_ticket is not None and not permissions.can_create_from_ticket(actor, source_ticket):
        raise PermissionDenied(_("Only resolved tickets you can see become articles."))
    article = Article.objects.create(
        title=data["title"], body=data["body"], body_html=render_markdown(data["body"]),
        visibility=data["visibility"], categories=parse_categories(categories), author=actor,
        source_ticket=source_ticket, source_report_id=source_report_id, status=ArticleStatus.DRAFT,
    )
    _set_relations(article, tags=data["tags"], equipment_models=equipment_models)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, title: str, body: str, visibility: str, tags=(),
                   equipment_models=(), categories=()) -> Article:
    """Change an article's text and links; a published article stays published."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not permissions.can_edit(actor, article):
        raise PermissionDenied(_("You may not edit this article."))
    data = _clean(title=title, body=body, visibility=visibility, tags=tags)
    article.title, article.body, article.visibility = data["title"], data["body"], data["visibility"]
    article.body_html = render_markdown(article.body)
    article.categories = parse_categories(categories)
    article.save()
    _set_relations(article, tags=data["tags"], equipment_models=equipment_models)
    return article


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_propose(*, actor, article: Article) -> Article:
    """The author of a draft asks for review (technicians' way to publish)."""
    article = _locked(article)
    if not permissions.can_propose(actor, article):
        raise ArticleStateError(_("Only the author proposes a draft for review."))
    article.status = ArticleStatus.REVIEW
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_publish(*, actor, article: Article) -> Article:
    """An engineer or admin publishes a draft or a proposal."""
    article = _locked(article)
    if article.status == ArticleStatus.PUBLISHED:
        raise ArticleStateError(_("This article is already published."))
    if not permissions.can_publish(actor, article):
        raise PermissionDenied(_("Only engineers and admins publish articles."))
    article.status = ArticleStatus.PUBLISHED
    article.published_at = timezone.now()
    article.published_by = actor
    article.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return article


@transaction.atomic
def article_unpublish(*, actor, article: Article) -> Article:
    """Back to draft: hidden from readers and suggestions at once."""
    article = _locked(article)
    if article.status != ArticleStatus.PUBLISHED:
        raise ArticleStateError(_("This article is not published."))
    if not permissions.can_unpublish(actor, article):
        raise PermissionDenied(_("Only engineers and admins unpublish articles."))
    article.status = ArticleStatus.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_return(*, actor, article: Article) -> Article:
    """A reviewer sends a proposal back to its author as a draft."""
    article = _locked(article)
    if article.status != ArticleStatus.REVIEW:
        raise ArticleStateError(_("Only proposals can be sent back."))
    if not permissions.can_return(actor, article):
        raise PermissionDenied(_("Only engineers and admins review proposals."))
    article.status = ArticleStatus.DRAFT
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def article_delete(*, actor, article: Article) -> None:
    """Admins delete any article; staff their own unpublished drafts."""
    if not permissions.can_delete(actor, article):
        raise PermissionDenied(_("You may not delete this article."))
    article.delete()


@transaction.atomic
def article_vote(*, actor, article: Article, helpful: bool) -> Article:
    """One vote per user and article (voting again changes it); the counters are recounted."""
    article = _locked(article)
    if not permissions.can_vote(actor, article):
        raise PermissionDenied(_("You may not vote on this article."))
    Vote.objects.update_or_create(article=article, user=actor, defaults={"helpful": bool(helpful)})
    counts = article.votes.aggregate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    article.helpful_yes, article.helpful_no = counts["yes"], counts["no"]
    article.save(update_fields=["helpful_yes", "helpful_no"])
    return article


@transaction.atomic
def article_deflect(*, actor, article: Article, query: str = "") -> Deflection:
    """"This solved it" while reporting: no ticket is created; the deflection is counted."""
    if not (permissions.can_view(actor, article) and article.is_published):
        raise PermissionDenied(_("You may not use this article."))
    try:
        row = Deflection.objects.create(article=article, user=actor, query=(query or "").strip()[:200])
    except IntegrityError as exc:  # pragma: no cover - no constraint can fail today
        raise ValidationError(str(exc)) from exc
    Article.objects.filter(pk=article.pk).update(deflections=F("deflections") + 1)
    return row


@transaction.atomic
def article_create_from_ticket(*, actor, ticket, **fields) -> Article:
    """A draft written from a resolved ticket (and its service reports, when it has some)."""
    from knowledge.reports import reports_for_ticket

    reports = reports_for_ticket(ticket)
    fields.setdefault("source_report_id", reports[-1].pk if reports else None)
    return article_create(actor=actor, source_ticket=ticket, **fields)


def articles_rerender(*, batch_size: int = 500, dry_run: bool = False, progress=None) -> int:
    """Render every article's Markdown again with today's sanitiser rules (after an upgrade or a
    change of the allow-list); returns how many changed. ``progress(done, total)`` is called per batch."""
    total = Article.objects.count()
    done = changed = 0
    last_pk = 0
    while True:
        batch = list(Article.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", "body", "body_html")[:batch_size])
        if not batch:
            break
        stale = []
        for article in batch:
            html = render_markdown(article.body)
            if html != article.body_html:
                article.body_html = html
                stale.append(article)
        if stale and not dry_run:
            with transaction.atomic():
                Article.objects.bulk_update(stale, ["body_html"])
        changed += len(stale)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress:
            progress(done, total)
    return changed
