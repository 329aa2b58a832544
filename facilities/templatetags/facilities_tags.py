from django import template
from django.urls import NoReverseMatch

register = template.Library()


@register.filter
def url_or_empty(obj) -> str:
    """``obj.get_absolute_url()``, or "" while the page it points at is not installed (tickets not merged yet)."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        return ""
