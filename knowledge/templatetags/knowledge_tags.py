"""Template bits other apps' templates include (tickets' pages never import knowledge in Python)."""

from django import template

from knowledge import permissions

register = template.Library()


@register.inclusion_tag("knowledge/includes/ticket_article_button.html", takes_context=True)
def article_from_ticket_button(context, ticket):
    """The "Write a knowledge article" button on a resolved ticket, for staff who may write one."""
    user = context.get("user")
    return {"ticket": ticket, "show": permissions.can_create_from_ticket(user, ticket)}
