"""Dashboard panels of the knowledge base."""

from django.urls import reverse
from django.utils.translation import gettext as _

from knowledge import permissions, selectors
from knowledge.models import ArticleStatus

PANEL = "knowledge/includes/dashboard_panel.html"


def panels(request) -> list[dict]:
    user = request.user
    out = []
    if permissions.can_review(user):
        out.append({"template": PANEL, "title": _("Articles proposed for review"),
                    "articles": list(selectors.articles_for_review(user)[:5]), "show_author": True,
                    "more": reverse("knowledge:review"), "empty": _("Nothing to review."),
                    "stat": selectors.deflection_count(user, days=30),
                    "stat_label": _("tickets avoided in 30 days")})
    elif permissions.is_staff_reader(user):
        out.append({"template": PANEL, "title": _("My article drafts"),
                    "articles": list(selectors.articles_visible_to(user).filter(
                        author=user).exclude(status=ArticleStatus.PUBLISHED).order_by("-updated_at")[:5]),
                    "more": reverse("knowledge:list") + "?mine=on", "empty": _("No drafts."), "stat": None})
    else:
        out.append({"template": PANEL, "title": _("Most helpful articles"),
                    "articles": list(selectors.articles_visible_to(user).order_by("-helpful_yes", "-id")[:5]),
                    "more": reverse("knowledge:list"), "empty": _("No articles yet."), "stat": None})
    return out
