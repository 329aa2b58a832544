"""Form parts for the busy list pages: the same HTML as Django's, without its per-option cost.

Django renders every ``<option>`` through the widget template engine and builds a model instance
per choice of a ``ModelChoiceField``; on the ticket queue that was most of the page (70 staff
with their profiles and phone numbers parsed, for a drop-down). ``FastSelect`` writes the same
markup in Python and ``ValuesModelChoiceField`` reads its choices as plain rows. Validation is
Django's own: the field still looks the submitted id up in its queryset.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def render_attrs(attrs: dict) -> SafeString:
    """Attributes as ``django/forms/widgets/attrs.html`` writes them (same order; True bare, False left out)."""
    return format_html_join("", " {}{}", (
        (name, "" if value is True else format_html('="{}"', str(value)))
        for name, value in attrs.items() if value is not False
    ))


_SELECTED = SafeString(" selected")


class FastSelect(forms.Select):
    """``forms.Select`` rendering the exact markup of Django's templates, built in Python.

    Grouped choices (optgroups) are rare here; they fall back to Django's rendering."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = [choice for choice in self.choices]  # list() would ask a queryset to count() first
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return super().render(name, value, attrs, renderer)
        values = set(self.format_value(value))
        options = []
        has_selected = False
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and option_value in values
            has_selected |= selected
            options.append((option_value, _SELECTED if selected else "", label))
        return format_html('<select name="{}"{}>{}\n</select>', name, render_attrs(self.build_attrs(self.attrs, attrs)),
                           format_html_join("", '\n  <option value="{}"{}>{}</option>', options))


class ValuesChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's choices from ``values()`` rows: no model instances."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.choice_rows(self.queryset):
            yield (ModelChoiceIteratorValue(row["pk"], row), self.field.label_from_row(row))


class ValuesModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are read as rows (``choice_rows``, ``label_from_row``).

    The default reads ``pk`` and the model's name-like ``label_field``; validation
    (``to_python``) is unchanged: one lookup of the submitted id in ``queryset``."""

    iterator = ValuesChoiceIterator
    widget = FastSelect
    label_field = "name"

    def __init__(self, *args, label_field: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label_field:
            self.label_field = label_field

    def choice_rows(self, queryset):
        return queryset.values("pk", self.label_field)

    def label_from_row(self, row) -> str:
        return row[self.label_field]
