"""Who may do what in the knowledge base. Checked by the views and again by the services."""

from __future__ import annotations

from accounts.models import Role
from knowledge.models import Article, ArticleStatus, Visibility

STAFF = (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN)
EDITORS = (Role.ADMIN, Role.ENGINEER)


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_reader(user) -> bool:
    """Admins, engineers and technicians read staff-only articles."""
    return _active(user) and user.role in STAFF


def can_view(user, article: Article) -> bool:
    """Customers: published customer-visible articles only. Staff: published ones, their own
    drafts, and (editors) every draft and proposal."""
    if not _active(user):
        return False
    if user.role == Role.CUSTOMER:
        return article.status == ArticleStatus.PUBLISHED and article.visibility == Visibility.CUSTOMERS
    if article.status == ArticleStatus.PUBLISHED:
        return True
    return user.role in EDITORS or article.author_id == user.pk


def can_create(user) -> bool:
    """Engineers and admins write articles; technicians propose drafts."""
    return _active(user) and user.role in STAFF


def can_edit(user, article: Article) -> bool:
    """Editors edit any article; a technician edits their own draft until it is proposed."""
    if not _active(user):
        return False
    if user.role in EDITORS:
        return True
    return (user.role == Role.TECHNICIAN and article.author_id == user.pk
            and article.status == ArticleStatus.DRAFT)


def can_propose(user, article: Article) -> bool:
    """The author of a draft asks an engineer to review and publish it."""
    return _active(user) and article.author_id == user.pk and article.status == ArticleStatus.DRAFT \
        and user.role in STAFF


def can_publish(user, article: Article) -> bool:
    """Engineers and admins publish drafts and proposals (technicians never)."""
    return _active(user) and user.role in EDITORS and article.status != ArticleStatus.PUBLISHED


def can_unpublish(user, article: Article) -> bool:
    return _active(user) and user.role in EDITORS and article.status == ArticleStatus.PUBLISHED


def can_return(user, article: Article) -> bool:
    """Send a proposal back to its author as a draft (with a note)."""
    return _active(user) and user.role in EDITORS and article.status == ArticleStatus.REVIEW


def can_delete(user, article: Article) -> bool:
    return _active(user) and (user.role == Role.ADMIN or (
        user.role in STAFF and article.author_id == user.pk and article.status != ArticleStatus.PUBLISHED))


def can_review(user) -> bool:
    """The review queue of proposed drafts."""
    return _active(user) and user.role in EDITORS


def can_vote(user, article: Article) -> bool:
    return can_view(user, article) and article.status == ArticleStatus.PUBLISHED


def can_create_from_ticket(user, ticket) -> bool:
    """A resolved (or closed) ticket becomes a draft article: staff who may see the ticket."""
    from tickets.models import Status
    from tickets.permissions import can_view as can_view_ticket

    return (can_create(user) and can_view_ticket(user, ticket)
            and ticket.status in (Status.RESOLVED, Status.CLOSED))


def can_view_analytics(user) -> bool:
    """Reliability figures: admins and engineers."""
    return _active(user) and user.role in EDITORS
