"""Reads of the knowledge base. Every read starts from ``articles_visible_to(user)``."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from knowledge.models import Article, ArticleStatus, Deflection, Visibility
from knowledge.permissions import EDITORS, STAFF
from knowledge.search import backend_name, search_articles

LIST_RELATED = ("author",)
SUGGESTION_LIMIT = 5
SIMILAR_TICKET_LIMIT = 5


def articles_visible_to(user) -> QuerySet[Article]:
    """Customers: published customer-visible articles only (also in counts and suggestions).
    Technicians: published articles and their own drafts. Engineers and admins: everything."""
    qs = Article.objects.all()
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == Role.CUSTOMER:
        return qs.filter(status=ArticleStatus.PUBLISHED, visibility=Visibility.CUSTOMERS)
    if user.role in EDITORS:
        return qs
    if user.role in STAFF:
        return qs.filter(Q(status=ArticleStatus.PUBLISHED) | Q(author=user))
    return qs.none()


def article_get_for(user, pk) -> Article:
    """The article if ``user`` may read it; Http404 otherwise (existence never leaks)."""
    try:
        return articles_visible_to(user).select_related("author", "published_by", "source_ticket").get(pk=int(pk))
    except (Article.DoesNotExist, ValueError, TypeError):
        raise Http404("No such article.") from None


def article_list(*, user, q: str = "", status: str = "", equipment_model=None, category: str = "",
                 tag: str = "", mine: bool = False) -> QuerySet[Article]:
    """Visible articles, filtered; ranked by relevance when ``q`` is given, else newest first."""
    qs = articles_visible_to(user)
    if status in ArticleStatus.values:
        qs = qs.filter(status=status)
    if equipment_model is not None:
        qs = qs.filter(equipment_models=equipment_model)
    if category:
        qs = qs.filter(categories__icontains=f",{category.strip().lower()},")
    if tag:
        qs = qs.filter(tags__name=tag.strip().lower())
    if mine:
        qs = qs.filter(author=user)
    qs = qs.select_related(*LIST_RELATED).prefetch_related("tags")
    if (q or "").strip():
        return search_articles(qs, q)
    return qs.order_by("-published_at", "-updated_at", "-id")


def articles_for_review(user) -> QuerySet[Article]:
    """Proposed drafts waiting for an engineer, oldest first."""
    return articles_visible_to(user).filter(status=ArticleStatus.REVIEW).select_related(
        *LIST_RELATED).order_by("updated_at", "id")


def suggestions_for(*, user, text: str, equipment=None, limit: int = SUGGESTION_LIMIT) -> list[Article]:
    """Published articles the user may read that match what they are typing (any word),
    the ones linked to the equipment's model or category first among equals."""
    qs = articles_visible_to(user).filter(status=ArticleStatus.PUBLISHED)
    # Title matches first (they outrank body matches anyway, and are far fewer to rank on SQLite);
    # the whole text only when titles alone do not fill the list.
    ranked = list(search_articles(qs, text, match_all=False, title_only=True)[: limit * 4])
    if len(ranked) < limit * 4 and backend_name() != "postgres":  # PostgreSQL searched both already
        seen = {a.pk for a in ranked}
        ranked += [a for a in search_articles(qs, text, match_all=False)[: limit * 4] if a.pk not in seen]
        ranked = ranked[: limit * 4]
    if equipment is not None and ranked:
        model_id = equipment.model_id
        category = (equipment.model.category or "").lower()
        linked = set(Article.equipment_models.through.objects.filter(
            article_id__in=[a.pk for a in ranked], equipmentmodel_id=model_id).values_list("article_id", flat=True))

        def boost(a):
            return (a.pk in linked or (category and f",{category}," in a.categories), a.rank)
        ranked.sort(key=boost, reverse=True)
    return ranked[:limit]


def similar_resolved_tickets(*, user, text: str, equipment=None, limit: int = SIMILAR_TICKET_LIMIT):
    """Resolved or closed tickets *the user may see* on the same equipment model, matching a word
    of ``text`` in their title (customers therefore only ever see their own or their organisation's)."""
    from knowledge.search import terms
    from tickets.models import Status
    from tickets.selectors import tickets_visible_to

    words = terms(text)
    if equipment is None or not words:
        return []
    match = Q()
    for word in words:
        if len(word) >= 3:
            match |= Q(title__icontains=word)
    if not match:
        return []
    return list(tickets_visible_to(user).filter(
        match, equipment__model_id=equipment.model_id, status__in=(Status.RESOLVED, Status.CLOSED),
    ).select_related("equipment").order_by("-resolved_at", "-id")[:limit])


def deflection_count(user, *, days: int = 30) -> int:
    """Deflections in the last ``days`` (everyone's for admins and engineers, own otherwise)."""
    qs = Deflection.objects.filter(created_at__gte=timezone.now() - timedelta(days=days))
    if not (user.is_authenticated and user.role in EDITORS):
        qs = qs.filter(user=user)
    return qs.count()


def article_prefill_from_ticket(ticket) -> dict:
    """Initial values of a draft article written from ``ticket``: from its service reports when it
    has some (symptom, cause, action per visit), else from its description and resolution notes."""
    from knowledge.reports import code_text, reports_for_ticket

    reports = reports_for_ticket(ticket)
    model = ticket.equipment.model if ticket.equipment_id else None
    lines = []
    if reports:
        first = reports[0]
        symptom = code_text(first, "symptom") or ticket.title
        title = symptom.split(" — ")[0].split(" · ")[-1] if symptom else ticket.title
        lines += [f"## {_('Symptom')}", "", ticket.description.strip(), ""]
        for report in reports:
            if len(reports) > 1:
                lines += [f"### {_('Visit')} {getattr(report, 'visit', '') or ''}".rstrip(), ""]
            for kind, heading in (("symptom", _("Symptom found")), ("cause", _("Cause")),
                                  ("action", _("Action taken"))):
                text = code_text(report, kind)
                if text:
                    lines += [f"**{heading}:** {text}", ""]
            parts = list(getattr(report, "parts", None).all()) if hasattr(report, "parts") else []
            if parts:
                lines += [f"**{_('Parts used')}:**", ""] + [f"- {p}" for p in parts] + [""]
        title = f"{model}: {title}" if model else title
    else:
        resolution = _resolution_notes(ticket)
        lines += [f"## {_('Symptom')}", "", ticket.description.strip(), ""]
        lines += [f"## {_('Resolution')}", "", resolution or _("(Describe the cause and what fixed it.)"), ""]
        title = f"{model}: {ticket.title}" if model else ticket.title
    return {
        "title": title[:200],
        "body": "\n".join(lines).strip() + "\n",
        "visibility": Visibility.STAFF,
        "equipment_models": [model] if model else [],
        "categories": (model.category if model and model.category else ""),
        "tags": "",
    }


def _resolution_notes(ticket) -> str:
    """The comments made when the ticket was resolved (the resolve action's comment, else the last
    staff comment), internal notes included: the article starts as a staff-only draft."""
    event = ticket.events.filter(action="resolve").order_by("-created_at", "-id").first()
    if event and (event.changes or {}).get("comment"):
        comment = event.changes["comment"]
        return comment[1] if isinstance(comment, list) else str(comment)
    last = ticket.comments.exclude(author=ticket.requester).order_by("-created_at", "-id").first()
    return last.body if last else ""
