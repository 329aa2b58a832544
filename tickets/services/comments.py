"""Public replies and internal notes."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tickets import permissions, signals
from tickets.models import Comment, Ticket
from tickets.services.common import record_event

MAX_COMMENT = 10_000


@transaction.atomic
def comment_add(*, actor, ticket: Ticket, body: str, is_internal: bool = False) -> Comment:
    """A comment by ``actor``; internal notes only from staff. Writes a ``comment`` event + ``comment_added``."""
    if not permissions.can_comment(actor, ticket):
        raise PermissionDenied(_("You may not comment on this ticket."))
    if is_internal and not permissions.can_see_internal(actor):
        raise PermissionDenied(_("Only staff write internal notes."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > MAX_COMMENT:
        raise ValidationError({"body": _("Keep it under %(n)s characters.") % {"n": MAX_COMMENT}})
    comment = Comment.objects.create(ticket=ticket, author=actor, body=body, is_internal=bool(is_internal))
    record_event(ticket=ticket, actor=actor, action="comment",
                 changes={"comment_id": comment.pk, "internal": comment.is_internal})
    signals.comment_added.send(sender=Ticket, ticket=ticket, comment=comment, actor=actor)
    return comment
