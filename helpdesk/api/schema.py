"""The OpenAPI schema: every operation declares the errors the API can answer with.

The error responses all share one body (``helpdesk.api.errors``), so they are added here once
instead of in every view: 400 (field errors or bad query parameters), 401, 403, 404 (an object
the caller may not see, or a page past the end), 429 (throttled); 413 and 415 for operations
that take a body. Views that can refuse a state change add ``409`` themselves (``CONFLICT``).
"""

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERROR_DESCRIPTIONS = {
    "400": "Invalid input: `errors` maps each field (or `non_field_errors`) to its messages.",
    "401": "Not signed in: send `Authorization: Token <token>` or a session cookie.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such object, or one the caller may not see (existence never leaks).",
    "409": "Conflict: the action is not allowed in the object's current state, or `version` is stale.",
    "413": "The request body (an upload) is too large.",
    "415": "Unsupported media type: send JSON, or multipart/form-data for uploads.",
    "429": "Too many requests: wait and retry (see `Retry-After`).",
}
BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorSerializer(serializers.Serializer):
    """The one JSON shape of every API error."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A machine-readable code: invalid, not_found, conflict, throttled, ...")
    detail = serializers.CharField(help_text="A human-readable message.")
    errors = serializers.DictField(
        child=serializers.JSONField(), required=False,
        help_text="Only on 400: field name (or `non_field_errors`) -> list of messages; for a list or nested "
                  "field, an object keyed by index or sub-field holding such lists.",
    )


CONFLICT = OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS["409"])


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = ["400", "401", "403", "404", "429"]
        if self.method in BODY_METHODS:
            codes += ["413", "415"]
        for code in codes:
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = ERROR_DESCRIPTIONS[code]
                responses[code] = response
        return dict(sorted(responses.items()))

