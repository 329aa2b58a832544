"""Markdown -> sanitised HTML. The only place article text becomes HTML.

markdown-it-py renders CommonMark with raw HTML switched off (typed tags come out escaped), then
nh3 (the Ammonia sanitiser) keeps an allow-list of tags, attributes and URL schemes, so no
script, event attribute, ``javascript:`` or ``data:`` URL survives whatever the spelling.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_md.enable("strikethrough")


_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.I)


def _url_filter(tag: str, attribute: str, value: str) -> str | None:
    """Defence in depth: drop a URL that, percent-decoded and without the control characters
    browsers ignore, names a scheme outside the allow-list ("java%09script:" and the like)."""
    if attribute not in ("href", "src"):
        return value
    decoded = value
    for _round in range(3):
        decoded = unquote(decoded)
    match = _SCHEME.match(_CONTROL.sub("", decoded))
    if match and match.group(1).lower() not in URL_SCHEMES:
        return None
    return value


def render_markdown(text: str) -> str:
    """Safe HTML for ``text``: rendered Markdown, sanitised against an allow-list."""
    html = _md.render(text or "")
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", strip_comments=True, attribute_filter=_url_filter,
    )
