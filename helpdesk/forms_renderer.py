"""The form renderer: Django's, with ``<select>`` widgets written in Python.

Django renders every ``<option>`` through two template includes (``select_option.html`` and
``attrs.html``), about 60 microseconds an option: the profile's time-zone list (some 600
options) cost 35 ms a page, the queue's staff pickers as much again. ``FastSelectRenderer``
writes the very same markup (same attributes, order, escaping and whitespace; the tests compare
it with Django's templates byte for byte) with ``format_html``. Any widget whose templates were
changed (another ``template_name`` or ``option_template_name``) still goes through the templates.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value):
    """``{{ value|stringformat:'s' }}``: what was safe stays unescaped, anything else is escaped."""
    return value if isinstance(value, SafeData) else str(value)


def _attrs(attrs: dict):
    """``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out, ``True`` writes its name."""
    return format_html_join("", "{}", (
        (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, _text(value)),)
        for name, value in attrs.items() if value is not False
    ))


def _options(options):
    return format_html_join("", '\n  <option value="{}"{}>{}</option>\n', (
        (_text(option["value"]), _attrs(option["attrs"]), option["label"]) for option in options
    ))


def render_select(widget: dict):
    """``django/forms/widgets/select.html`` with ``select_option.html`` for each option."""
    groups = format_html_join("", "{}", (
        (format_html('\n  <optgroup label="{}">{}\n  </optgroup>', name, _options(options)) if name
         else _options(options),)
        for name, options, _index in widget["optgroups"]
    ))
    return format_html('<select name="{}"{}>{}\n</select>', widget["name"], _attrs(widget["attrs"]), groups)


def _fast(widget) -> bool:
    return (widget.get("template_name") == SELECT_TEMPLATE
            and all(option.get("template_name") == OPTION_TEMPLATE
                    for _name, options, _index in widget["optgroups"] for option in options))


class FastSelectRenderer(DjangoTemplates):
    """Django's default renderer; plain ``<select>`` widgets skip the template engine."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and _fast(widget):
            return render_select(widget)
        return super().render(template_name, context, request=request)
