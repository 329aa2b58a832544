"""Form parts for the busy list pages: the same HTML as Django's, without its per-option cost.

A ``ModelChoiceField`` builds a model instance per choice; on the ticket queue that was most of
the page (70 staff with their profiles and phone numbers parsed, for a drop-down).
``ValuesModelChoiceField`` reads its choices as plain rows (the markup itself is written by
``helpdesk.forms_renderer``). Validation is Django's own: the field still looks the submitted id
up in its queryset.
"""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue


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
    label_field = "name"

    def __init__(self, *args, label_field: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label_field:
            self.label_field = label_field

    def choice_rows(self, queryset):
        return queryset.values("pk", self.label_field)

    def label_from_row(self, row) -> str:
        return row[self.label_field]
