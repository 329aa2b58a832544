"""One JSON shape for every API error.

``{"status": 400, "code": "invalid", "detail": "...", "errors": {"field": ["message", ...]}}``;
``errors`` is present for validation errors (400) only.
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("django.request")


class Conflict(exceptions.APIException):
    """409: an illegal state change or a stale version."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This change conflicts with the current state.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    """413: the request body, or one uploaded file, is over its limit."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


def _first_code(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_code(value)
    if isinstance(detail, list) and detail:
        return _first_code(detail[0])
    return getattr(detail, "code", None) or "error"


def validation_errors(exc: DjangoValidationError) -> dict:
    """A Django ValidationError as ``{field: [messages]}`` (form-wide errors under ``non_field_errors``)."""
    if hasattr(exc, "error_dict"):
        return {("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
                for field, messages in exc.message_dict.items()}
    return {"non_field_errors": exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django's own limit on the non-file part of a body (DATA_UPLOAD_MAX_MEMORY_SIZE).
        exc = PayloadTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args[:1] or ()))
    elif isinstance(exc, DjangoValidationError):
        # A service refused the input: the same 400 as a serializer's, field by field.
        exc = exceptions.ValidationError(validation_errors(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG or not context:
            return None  # Django's debug page (or the caller) deals with it
        # A bug: logged like Django logs a 500 (mail_admins included), answered in the API's shape.
        request = context.get("request")
        logger.error("Internal Server Error: %s", getattr(request, "path", "?"), exc_info=exc,
                     extra={"status_code": 500, "request": getattr(request, "_request", None)})
        return Response({"status": 500, "code": "server_error", "detail": str(_("Something went wrong."))},
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    data = response.data
    body = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        body.update(code="invalid", detail=str(_("Some fields are not valid.")), errors=errors)
    else:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        body.update(code=getattr(exc, "default_code", None) or _first_code(detail), detail=str(detail))
        if isinstance(data, dict):
            body.update({k: v for k, v in data.items() if k != "detail"})
    response.data = body
    return response
