"""``CachedChoicesDisplay`` answers exactly what Django's ``get_FOO_display()`` answers."""

from django.db import models

from accounts.models import User
from helpdesk.choices import CachedChoicesDisplay
from tickets.models import Ticket
from tickets.report_models import ServiceReport


def _choice_fields(model):
    return [f for f in model._meta.concrete_fields if f.choices]


def test_every_choice_and_an_unknown_value_give_djangos_label():
    for model in (Ticket, User, ServiceReport):
        assert issubclass(model, CachedChoicesDisplay)
        fields = _choice_fields(model)
        assert fields, model
        for field in fields:
            for value in [v for v, _label in field.flatchoices] + ["not-a-choice", None]:
                obj = model()
                setattr(obj, field.attname, value)
                ours = getattr(obj, f"get_{field.name}_display")()
                djangos = models.Model._get_FIELD_display(obj, field)
                assert ours == djangos and type(ours) is type(djangos), (model, field.name, value)

