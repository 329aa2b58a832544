"""``get_FOO_display()`` without rebuilding the choices on every call.

Django's ``Model._get_FIELD_display`` makes a hashable dict of the field's choices each time it is
called (about 50 microseconds with translated labels): a list page calls it a few hundred times
(status, priority and role of every row and of every person in the pickers). Models that mix in
``CachedChoicesDisplay`` look the label up in a dict built once per field. Fields whose choices
are a callable (evaluated per call on purpose) keep Django's behaviour.
"""

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_labels: dict = {}


def _choices_dict(field) -> dict | None:
    labels = _labels.get(field)
    if labels is None:
        if not isinstance(field.choices, (list, tuple)):
            return None
        labels = _labels[field] = dict(make_hashable(field.flatchoices))
    return labels


class CachedChoicesDisplay:
    """Mixin for models: the same ``get_FOO_display()`` answers, from a dict built once per field."""

    def _get_FIELD_display(self, field):
        labels = _choices_dict(field)
        if labels is None:
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)
        except TypeError:  # an unhashable value (a list in a JSONField, say)
            label = labels.get(make_hashable(value), value)
        return force_str(label, strings_only=True)
