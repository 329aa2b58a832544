"""Dashboard panels of the knowledge base."""

from django.urls import reverse
from django.utils.translation import gettext as _

from helpdesk.reverse import pk_url_maker
from knowledge import permissions, selectors
from knowledge.models import ArticleStatus

PANEL = "knowledge/includes/dashboard_panel.html"


def _rows(qs, *author) -> list:
    """The first five of ``qs`` loading what a row shows (the title, ``author``'s name fields when it
    shows the author), each with its ``url``: reversed once, not once per row."""
    url_for = pk_url_maker("knowledge:detail")
    rows = list(qs.only("id", "title", *author)[:5])
    for article in rows:
        article.url = url_for(article.pk)
    return rows


def panels(request) -> list[dict]:
    user = request.user
    out = []
    if permissions.can_review(user):
        out.append({"template": PANEL, "title": _("Articles proposed for review"),
                    "articles": _rows(selectors.articles_for_review(user),
                                      "author__first_name", "author__last_name"), "show_author": True,
                    "more": reverse("knowledge:review"), "empty": _("Nothing to review."),
                    "stat": selectors.deflection_count(user, days=30),
                    "stat_label": _("tickets avoided in 30 days")})
    elif permissions.is_staff_reader(user):
        out.append({"template": PANEL, "title": _("My article drafts"),
                    "articles": _rows(selectors.articles_visible_to(user).filter(
                        author=user).exclude(status=ArticleStatus.PUBLISHED).order_by("-updated_at")),
                    "more": reverse("knowledge:list") + "?mine=on", "empty": _("No drafts."), "stat": None})
    else:
        out.append({"template": PANEL, "title": _("Most helpful articles"),
                    "articles": _rows(selectors.articles_visible_to(user).order_by("-helpful_yes", "-id")),
                    "more": reverse("knowledge:list"), "empty": _("No articles yet."), "stat": None})
    return out
