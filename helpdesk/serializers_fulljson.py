"""Django's JSON fixture format without its loss: DjangoJSONEncoder cuts datetimes to milliseconds;
backups keep the microseconds (event order within a millisecond survives a restore)."""

import datetime
import json

from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            if isinstance(o, datetime.time) and o.utcoffset() is not None:
                raise ValueError("JSON can't represent timezone-aware times.")
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = Encoder


Deserializer = django_json.Deserializer
__all__ = ["Serializer", "Deserializer", "json"]
