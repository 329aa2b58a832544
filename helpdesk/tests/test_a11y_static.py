"""Keyboard order follows the page: no positive tabindex anywhere (templates, our scripts, form widgets), and
the base template's first focusable element is the skip link to <main>."""

import re
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
# tabindex="3", tabindex=3, {"tabindex": "2"}, el.tabIndex = 1, setAttribute("tabindex", "1")
POSITIVE_TABINDEX = re.compile(
    r"""tabindex\s*=\s*["']?\s*\+?0*[1-9]"""
    r"""|["']tabindex["']\s*[:,]\s*["']?\s*\+?0*[1-9]"""
    r"""|\.tabIndex\s*=\s*\+?0*[1-9]""",
    re.I,
)


def _sources():
    skip = {".venv", "node_modules", ".git", "staticfiles", "bootstrap", "django_htmx", "screenshots"}
    for pattern in ("templates/**/*.html", "**/templates/**/*.html", "static/**/*.js", "*/static/**/*.js",
                    "*/*.py", "helpdesk/*.py"):
        for path in BASE.glob(pattern):
            if not skip & set(path.relative_to(BASE).parts):
                yield path


def test_no_positive_tabindex_anywhere():
    sources = sorted(set(_sources()))
    assert any(p.suffix == ".html" for p in sources) and any(p.suffix == ".js" for p in sources)
    found = [f"{p.relative_to(BASE)}: {m.group(0)}" for p in sources
             for m in POSITIVE_TABINDEX.finditer(p.read_text(errors="replace"))]
    assert not found, "a positive tabindex breaks the page's tab order: " + "; ".join(found)


@pytest.mark.parametrize("snippet", [
    '<a tabindex="2" href="#">', "<div tabindex=1>", "widget=forms.TextInput(attrs={'tabindex': '4'})",
    'el.tabIndex = 3;', '{"tabindex": 1}',
])
def test_the_check_catches_positive_tabindex(snippet):
    assert POSITIVE_TABINDEX.search(snippet)


@pytest.mark.parametrize("snippet", ['tabindex="-1"', 'tabindex="0"', "el.tabIndex = -1", "tabindex=0"])
def test_the_check_allows_zero_and_minus_one(snippet):
    assert not POSITIVE_TABINDEX.search(snippet)


def test_skip_link_is_the_first_focusable_element_and_targets_main():
    source = (BASE / "templates" / "base.html").read_text()
    body = source.split("<body", 1)[1]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
    assert first and "skip-link" in first.group(0), first
    target = re.search(r'href="#([\w-]+)"', first.group(0)).group(1)
    assert re.search(rf'<main\b[^>]*\bid="{target}"', source)


def test_no_autofocus():
    """Autofocus drops keyboard and screen-reader users in the middle of the page, past the skip link and the
    page's heading; every page starts at the top (the error summary takes the focus only after a failed submit)."""
    pattern = re.compile(r"""\bautofocus\b""", re.I)
    found = [str(p.relative_to(BASE)) for p in sorted(set(_sources())) if pattern.search(p.read_text(errors="replace"))]
    assert not found, f"autofocus in {found}"


def test_forms_rendered_field_by_field_show_the_error_summary():
    """``{{ form|crispy }}`` brings the summary (templates/bootstrap5/errors.html); a POST form laid out field by
    field must include templates/includes/form_errors.html itself."""
    assert "includes/form_errors.html" in (BASE / "templates" / "bootstrap5" / "errors.html").read_text()
    missing = [str(p.relative_to(BASE)) for p in sorted((BASE / "templates").rglob("*.html"))
               if "as_crispy_field" in (src := p.read_text()) and re.search(r'method="post"', src, re.I)
               and "includes/form_errors.html" not in src]
    assert not missing, f"no error summary in {missing}"
