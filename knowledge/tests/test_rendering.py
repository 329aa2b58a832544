"""The sanitiser against hostile Markdown: nothing executable survives, whatever the spelling."""

import re
from urllib.parse import unquote

import pytest

from knowledge.rendering import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](javascript:javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](%6A%61vascript:alert(1))",
    "[click]( javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    "![x](x\" onerror=\"alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "<div onmouseover=\"alert(1)\">hover</div>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "**bold** <b onclick=alert(1)>x</b>",
]


def _attributes(html: str) -> list[tuple[str, str]]:
    """(name, value) of every attribute of every real tag in the output."""
    out = []
    for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
        out += re.findall(r'([a-zA-Z-]+)="([^"]*)"', tag)
    return out


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_neutralised(text):
    html = render_markdown(text)
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html)}
    assert not tags & {"script", "iframe", "svg", "style", "div", "object", "embed"}, html
    for name, value in _attributes(html):
        assert not name.lower().startswith("on"), html
        if name in ("href", "src"):
            value = re.sub(r"[\x00-\x20]", "", unquote(unquote(value)))
            assert re.match(r"^(https?:|mailto:|[^:]*$)", value.strip(), re.I), html
            assert "javascript" not in value.lower() and "data:" not in value.lower(), html


def test_ordinary_markdown_renders():
    html = render_markdown("# Steps\n\n1. **Turn** off\n2. See [manual](https://example.com/m.pdf)\n\n`code`")
    assert "<h1>Steps</h1>" in html and "<ol>" in html and "<strong>Turn</strong>" in html
    assert '<a href="https://example.com/m.pdf" rel="noopener noreferrer nofollow">manual</a>' in html
    assert "<code>code</code>" in html


def test_typed_html_shows_as_text():
    assert "&lt;b&gt;hi&lt;/b&gt;" in render_markdown("<b>hi</b>")
