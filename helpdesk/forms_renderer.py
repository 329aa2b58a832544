"""The form renderer: Django's, with ``<select>`` widgets written in Python.

Django renders every ``<option>`` through two template includes (``select_option.html`` and
``attrs.html``), about 60 microseconds an option: the profile's time-zone list (some 600
options) cost 35 ms a page, the queue's staff pickers as much again. ``FastSelectRenderer``
writes the very same markup (same attributes, order, escaping and whitespace; the tests compare
it with Django's templates byte for byte) with ``format_html``. Any widget whose templates were
changed (another ``template_name`` or ``option_template_name``) still goes through the templates.
``<input>`` (text, e-mail, number, hidden, file...) and ``<textarea>`` are written the same way:
a template render each was a third of the report form's field cost.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# Each of these is ``{% include "django/forms/widgets/input.html" %}`` and nothing else.
INPUT_TEMPLATES = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "input", "text", "email", "url", "number", "password", "hidden", "tel", "search", "date", "datetime", "time",
    "file"))


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}`` under autoescape."""
    return str(value) if isinstance(value, SafeData) else conditional_escape(str(value))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {conditional_escape(name)}")
        else:
            parts.append(f' {conditional_escape(name)}="{_text(value)}"')
    return "".join(parts)


def render_select(widget: dict) -> str:
    """``django/forms/widgets/select.html`` with ``select_option.html`` for each option."""
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            out.append(f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    # Every part above went through conditional_escape (or was already safe, as in the templates).
    return mark_safe("".join(out))  # nosec B308 B703  # noqa: S308


def render_input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = widget["value"]
    shown = f' value="{_text(value)}"' if value != None else ""  # noqa: E711 - the template's test
    return mark_safe(  # nosec B308 B703  # noqa: S308 - every part went through conditional_escape
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f'{shown}{_attrs(widget["attrs"])}>')


def render_textarea(widget: dict) -> str:
    """``django/forms/widgets/textarea.html`` (a text value; anything else goes through the template)."""
    value = widget["value"]
    return mark_safe(  # nosec B308 B703  # noqa: S308 - every part went through conditional_escape
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f'{conditional_escape(value) if value else ""}</textarea>')


def _fast(widget) -> bool:
    return (widget.get("template_name") == SELECT_TEMPLATE
            and all(option.get("template_name") == OPTION_TEMPLATE
                    for _name, options, _index in widget["optgroups"] for option in options))


class FastSelectRenderer(DjangoTemplates):
    """Django's default renderer; plain ``<select>`` widgets skip the template engine."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None:
            if template_name == SELECT_TEMPLATE and _fast(widget):
                return render_select(widget)
            if template_name in INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == TEXTAREA_TEMPLATE and isinstance(widget["value"], str | None):
                return render_textarea(widget)
        return super().render(template_name, context, request=request)
