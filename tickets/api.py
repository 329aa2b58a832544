"""Tickets in the REST API: /api/v1/tickets/. Refused or stale changes answer 409 Conflict."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from helpdesk.api.errors import Conflict
from tickets import permissions, selectors, services
from tickets.errors import TicketError
from tickets.serializers import (
    ActionSerializer,
    CommentSerializer,
    EventSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
    TicketWriteSerializer,
)
from tickets.workflow import ACTIONS

ERRORS = {400: OpenApiResponse(description="invalid input"), 403: OpenApiResponse(description="not allowed"),
          404: OpenApiResponse(description="no such ticket (or not visible)")}


def _call(fn, **kwargs):
    """Run a service, mapping its refusals onto the API's error shape."""
    try:
        return fn(**kwargs)
    except TicketError as exc:
        raise Conflict(exc.message) from None
    except DjangoValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
                              ) from None


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TicketSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {k: params.get(k) for k in ("status", "priority", "q", "sla") if params.get(k)}
        return selectors.ticket_list(user=self.request.user, filters=filters, sort=params.get("sort", ""))

    def get_object(self):
        return selectors.ticket_get_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=TicketWriteSerializer, responses={201: TicketSerializer, **ERRORS})
    def create(self, request):
        if not permissions.can_create(request.user):
            raise PermissionDenied
        data = TicketWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = _call(services.ticket_create, actor=request.user, **data.validated_data)
        ticket = selectors.ticket_get_for(request.user, ticket.pk)
        return Response(TicketSerializer(ticket, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TicketUpdateSerializer, responses={200: TicketSerializer, 409: OpenApiResponse(
        description="stale version"), **ERRORS})
    def partial_update(self, request, pk=None):
        ticket = self.get_object()
        if not permissions.can_edit(request.user, ticket):
            raise PermissionDenied
        data = TicketUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version", None)
        if version is None:
            raise ValidationError({"version": ["This field is required."]})
        _call(services.ticket_update, actor=request.user, ticket=ticket, version=version, **fields)
        ticket = selectors.ticket_get_for(request.user, pk)
        return Response(TicketSerializer(ticket, context={"request": request}).data)

    @extend_schema(request=ActionSerializer, responses={200: TicketSerializer, 409: OpenApiResponse(
        description="action not allowed now, or stale version"), **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<action_name>[a-z_]+)")
    def perform_action(self, request, pk=None, action_name=""):
        ticket = self.get_object()
        if action_name not in ACTIONS:
            raise ValidationError({"action": [f"Unknown action; one of {', '.join(ACTIONS)}."]})
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.ticket_transition, actor=request.user, ticket=ticket, action=action_name,
              **data.validated_data)
        ticket = selectors.ticket_get_for(request.user, pk)
        return Response(TicketSerializer(ticket, context={"request": request}).data)

    @extend_schema(request=CommentSerializer, responses={200: CommentSerializer(many=True),
                                                         201: CommentSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            data = CommentSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            try:
                comment = _call(services.comment_add, actor=request.user, ticket=ticket,
                                body=data.validated_data["body"],
                                is_internal=data.validated_data.get("is_internal", False))
            except DjangoPermissionDenied:
                raise PermissionDenied from None
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return Response(CommentSerializer(selectors.comments_for(request.user, ticket), many=True).data)

    @extend_schema(responses={200: EventSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        ticket = self.get_object()
        events = selectors.events_for(request.user, ticket)
        data = EventSerializer(events, many=True).data
        if not permissions.can_see_internal(request.user):
            # A comment event says whether it was internal; customers do not learn of internal notes.
            data = [e for e in data if not (e["action"] == "comment" and e["changes"].get("internal"))]
        return Response(data)


def register(router):
    router.register("tickets", TicketViewSet, basename="ticket")
