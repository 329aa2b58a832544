"""Request parsers with a size limit: a body over it is refused with 413 before it is read.

JSON and form bodies may be at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the limit Django applies to the
web forms); multipart bodies (photo uploads) at most ``API_UPLOAD_MAX_BYTES``. DRF's JSON parser reads
the raw stream, which Django does not limit, hence the check here.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers

from helpdesk.api.errors import PayloadTooLarge


def _check(parser_context, limit: int) -> None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", None) or getattr(getattr(request, "_request", None), "META", {})
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        length = 0
    if limit and length > limit:
        raise PayloadTooLarge(_("The request is too large: at most %(mb).1f MB.") % {"mb": limit / 1048576})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check(parser_context, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return super().parse(stream, media_type, parser_context)


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check(parser_context, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        return super().parse(stream, media_type, parser_context)


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _check(parser_context, settings.API_UPLOAD_MAX_BYTES)
        return super().parse(stream, media_type, parser_context)
