"""Effective notification settings: a person's own choice, else the default from rules.py."""

from notifications.models import Channel, Event, Preference
from notifications.rules import channels_for_role, default_enabled


def overrides_for(users) -> dict:
    """{(user_id, event, channel): enabled} for the given users, in one query."""
    ids = [u.pk for u in users]
    rows = Preference.objects.filter(user_id__in=ids).values_list("user_id", "event", "channel", "enabled")
    return {(uid, ev, ch): enabled for uid, ev, ch, enabled in rows}


def is_enabled(user, event: Event, channel: Channel, overrides: dict | None = None) -> bool:
    if overrides is None:
        overrides = overrides_for([user])
    key = (user.pk, str(event), str(channel))
    if key in overrides:
        return overrides[key]
    return default_enabled(user.role, event, channel)


def preference_grid(user) -> list[dict]:
    """Rows for the settings page: each event the person can hear about with each channel's state."""
    overrides = overrides_for([user])
    rows = []
    for event, channels in channels_for_role(user.role).items():
        rows.append({
            "event": event,
            "label": Event(event).label,
            "cells": [
                {"channel": c, "label": Channel(c).label, "name": f"{event}__{c}",
                 "enabled": is_enabled(user, event, c, overrides), "offered": c in channels}
                for c in Channel
            ],
        })
    return rows
