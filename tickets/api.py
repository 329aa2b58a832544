"""Tickets in the REST API (/api/v1/tickets/): the same selectors, services, permissions and
workflow table as the pages. Tickets the caller may not see are 404; refused or stale state
changes are 409 Conflict; bad input is 400 with field errors.
"""

import copy

from django.db import transaction
from django.http import FileResponse, Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from helpdesk.api.errors import Conflict
from helpdesk.api.schema import CONFLICT
from tickets import permissions, selectors, services, workflow
from tickets.errors import TicketError
from tickets.models import Category, Status, Ticket
from tickets.pagination import CappedPageNumberPagination
from tickets.serializers import (
    ActionInfoSerializer,
    BulkResultSerializer,
    BulkSerializer,
    CategorySerializer,
    CommentSerializer,
    CommentWriteSerializer,
    EventSerializer,
    MacroApplySerializer,
    MacroSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
    TicketFilterSerializer,
    TicketSerializer,
    TicketUpdateSerializer,
    TicketWriteSerializer,
    action_serializer_for,
)

JSON_AND_MULTIPART = ["application/json", "multipart/form-data"]
API_RELATED = ("equipment__model__manufacturer", "vehicle")
# The lists show people by id and name: parsing every requester's and assignee's phone number is waste.
API_DEFERRED = ("requester__phone", "assignee__phone")
TICKET_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The ticket's id (FD-000123 -> 123).")
PHOTO_ID = OpenApiParameter("photo_pk", int, OpenApiParameter.PATH, description="The photo's id.")


def call(fn, **kwargs):
    """Run one service; its refusals become 409 (state) or 400/403 (via the shared error handler)."""
    try:
        return fn(**kwargs)
    except TicketError as exc:
        raise Conflict(exc.message) from None


def refuse(user, ticket, allowed_by, message: str):
    """403 when the caller's role may never do this to the ticket; 409 when only its state forbids it.

    Derived from the permission itself: would it allow the caller on the same ticket while ``new``?
    """
    as_new = copy.copy(ticket)
    as_new.status = Status.NEW
    if allowed_by(user, as_new):
        raise Conflict(message)
    raise exceptions.PermissionDenied(message)


class ImageRenderer(BaseRenderer):
    """Lets clients ask for ``image/*``; errors on these endpoints are still JSON."""

    media_type = "image/*"
    format = "image"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(summary="Tickets the caller may see", parameters=[TicketFilterSerializer]),
    retrieve=extend_schema(summary="One ticket", parameters=[TICKET_ID]),
)
class TicketViewSet(viewsets.GenericViewSet):
    serializer_class = TicketSerializer
    pagination_class = CappedPageNumberPagination  # no COUNT over the whole table per page
    lookup_value_regex = "[0-9]+"
    queryset = Ticket.objects.none()  # schema generation only; every read uses the selectors

    def get_queryset(self):
        return selectors.tickets_visible_to(self.request.user)

    def get_object(self):
        return selectors.ticket_get_for(self.request.user, self.kwargs["pk"])

    def _filters(self) -> dict:
        data = TicketFilterSerializer(data=self.request.query_params)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def _page(self, qs, serializer_class=TicketSerializer):
        if qs.model is Ticket:
            qs = qs.select_related(*API_RELATED).defer(*API_DEFERRED)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(serializer_class(page, many=True, context=self.get_serializer_context()
                                                            ).data)

    def _ticket_response(self, pk, code=status.HTTP_200_OK):
        ticket = selectors.ticket_get_for(self.request.user, pk)
        return Response(TicketSerializer(ticket, context=self.get_serializer_context()).data, status=code)

    # --- lists ---------------------------------------------------------------------------

    def list(self, request):
        filters = self._filters()
        qs = selectors.ticket_list(user=request.user, filters=filters, sort=filters.get("sort", ""))
        return self._page(qs)

    @extend_schema(summary="Triage queue (admins, engineers): open tickets by default",
                   parameters=[TicketFilterSerializer], responses=TicketSerializer(many=True))
    @action(detail=False, methods=["get"])
    def queue(self, request):
        if not permissions.can_triage(request.user):
            raise exceptions.PermissionDenied
        params = request.query_params.copy()
        params.setdefault("status", "open")
        data = TicketFilterSerializer(data=params)
        data.is_valid(raise_exception=True)
        filters = data.validated_data
        qs = selectors.ticket_list(user=request.user, filters=filters, sort=filters.get("sort", ""))
        return self._page(qs)

    @extend_schema(summary="The caller's open jobs (assignees), newest assignment first",
                   responses=TicketSerializer(many=True))
    @action(detail=False, methods=["get"])
    def jobs(self, request):
        if not permissions.can_have_jobs(request.user):
            raise exceptions.PermissionDenied
        return self._page(selectors.jobs_for(request.user))

    @extend_schema(summary="Bulk action from the queue (admins): approve, assign or close many tickets",
                   request=BulkSerializer, responses={200: BulkResultSerializer})
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        if not permissions.can_bulk_edit(request.user):
            raise exceptions.PermissionDenied("Only admins use bulk actions.")
        data = BulkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ids = values.pop("tickets")
        visible = {t.pk: t for t in selectors.tickets_visible_to(request.user).filter(pk__in=ids)}
        done, failed = services.tickets_bulk_transition(
            actor=request.user, tickets=[visible[pk] for pk in dict.fromkeys(ids) if pk in visible], **values)
        refused = [{"id": t.pk, "detail": why} for t, why in failed]
        refused += [{"id": pk, "detail": "No such ticket."} for pk in dict.fromkeys(ids) if pk not in visible]
        return Response(BulkResultSerializer({"done": [t.pk for t in done], "refused": refused}).data)

    # --- create, read, update, delete ----------------------------------------------------

    @extend_schema(summary="Report a ticket (JSON, or multipart/form-data with photos)",
                   request={m: TicketWriteSerializer for m in JSON_AND_MULTIPART},
                   responses={201: TicketSerializer})
    def create(self, request):
        if not permissions.can_create(request.user):
            raise exceptions.PermissionDenied
        data = TicketWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = call(services.ticket_create, actor=request.user, **data.validated_data)
        # The service's instance is the row as written (nothing changes it after the insert, and the
        # caller may see what they reported): no second read through the selectors.
        return Response(TicketSerializer(ticket, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        return Response(TicketSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(summary="Change a ticket while allowed; `version` is required (409 when stale)",
                   parameters=[TICKET_ID], request=TicketUpdateSerializer,
                   responses={200: TicketSerializer, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        ticket = self.get_object()
        if not permissions.can_edit(request.user, ticket):
            refuse(request.user, ticket, permissions.can_edit, "You may not edit this ticket now.")
        data = TicketUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        version = fields.pop("version", None)
        if version is None:
            raise exceptions.ValidationError({"version": ["This field is required."]})
        call(services.ticket_update, actor=request.user, ticket=ticket, version=version, **fields)
        return self._ticket_response(pk)

    @extend_schema(summary="Delete a ticket (admins; soft: `POST tickets/{id}/restore/` or the Django admin "
                           "brings it back)",
                   parameters=[TICKET_ID], responses={204: None})
    def destroy(self, request, pk=None):
        ticket = self.get_object()
        if not permissions.can_delete(request.user, ticket):
            raise exceptions.PermissionDenied("Only admins delete tickets.")
        call(services.ticket_delete, actor=request.user, ticket=ticket)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Deleted tickets, newest deletion first (admins)", responses=TicketSerializer(many=True))
    @action(detail=False, methods=["get"])
    def deleted(self, request):
        if not permissions.can_restore(request.user):
            raise exceptions.PermissionDenied("Only admins see deleted tickets.")
        return self._page(selectors.tickets_deleted_for(request.user))

    @extend_schema(summary="Restore a deleted ticket (admins); 409 when it is not deleted",
                   parameters=[TICKET_ID], request=None, responses={200: TicketSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        if not permissions.can_restore(request.user):
            self.get_object()  # 404 for a ticket out of reach (deleted ones are out of everyone's reach)
            raise exceptions.PermissionDenied("Only admins restore tickets.")
        if not selectors.tickets_deleted_for(request.user).filter(pk=pk).exists():
            self.get_object()  # 404 when there is no such ticket at all
            raise Conflict("This ticket is not deleted.")
        ticket = selectors.tickets_deleted_for(request.user).get(pk=pk)
        call(services.ticket_restore, actor=request.user, ticket=ticket)
        return self._ticket_response(pk)

    # --- workflow ------------------------------------------------------------------------

    @extend_schema(summary="The workflow actions the caller may perform on the ticket now",
                   parameters=[TICKET_ID], responses=ActionInfoSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="actions", pagination_class=None)
    def available(self, request, pk=None):
        ticket = self.get_object()
        return Response(ActionInfoSerializer([
            {"action": t.action, "label": str(t.label), "comment_required": t.comment_required,
             "comment_label": str(t.comment_label), "needs_assignee": t.needs_assignee, "confirm": str(t.confirm)}
            for t in workflow.available_actions(ticket, request.user)
        ], many=True).data)

    def _transition(self, request, pk, action_name, body_serializer):
        ticket = self.get_object()
        data = body_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        call(services.ticket_transition, actor=request.user, ticket=ticket, action=action_name,
             **data.validated_data)
        return self._ticket_response(pk)

    # --- comments, photos, events --------------------------------------------------------

    @extend_schema(methods=["GET"], summary="Comments the caller may read (internal notes: staff only)",
                   parameters=[TICKET_ID], responses=CommentSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Add a comment, or (staff) an internal note",
                   parameters=[TICKET_ID], request=CommentWriteSerializer, responses={201: CommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            data = CommentWriteSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            comment = call(services.comment_add, actor=request.user, ticket=ticket, **data.validated_data)
            return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return self._page(selectors.comments_for(request.user, ticket), CommentSerializer)

    @extend_schema(methods=["GET"], summary="The ticket's photos", parameters=[TICKET_ID],
                   responses=PhotoSerializer(many=True))
    @extend_schema(methods=["POST"], summary="Add photos (multipart/form-data, all or nothing)",
                   parameters=[TICKET_ID], request={"multipart/form-data": PhotoUploadSerializer},
                   responses={201: PhotoSerializer(many=True), 409: CONFLICT})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def photos(self, request, pk=None):
        ticket = self.get_object()
        if request.method == "POST":
            if not permissions.can_add_photo(request.user, ticket):
                refuse(request.user, ticket, permissions.can_add_photo, "Photos cannot be added to this ticket now.")
            data = PhotoUploadSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            with transaction.atomic():
                added = [call(services.photo_add, actor=request.user, ticket=ticket, upload=upload)
                         for upload in data.validated_data["photos"]]
            return Response(PhotoSerializer(added, many=True).data, status=status.HTTP_201_CREATED)
        return Response(PhotoSerializer(selectors.photos_for(request.user, ticket), many=True).data)

    def _photo_file(self, request, pk, photo_pk, thumbnail: bool):
        ticket = self.get_object()
        try:
            photo = selectors.photos_for(request.user, ticket).get(pk=int(photo_pk))
        except (ValueError, TypeError, ticket.photos.model.DoesNotExist):
            raise Http404("No such photo.") from None
        field = photo.thumbnail if thumbnail else photo.image
        try:
            handle = field.open("rb")
        except OSError:
            raise Http404("The file is missing.") from None
        response = FileResponse(handle, content_type="image/jpeg" if thumbnail else photo.content_type)
        response["Content-Disposition"] = f'inline; filename="{field.name.rsplit("/", 1)[-1]}"'
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @extend_schema(summary="A photo's image file (only for callers who may see the ticket)",
                   parameters=[TICKET_ID, PHOTO_ID],
                   responses={(200, "image/jpeg"): OpenApiTypes.BINARY, (200, "image/png"): OpenApiTypes.BINARY,
                              (200, "image/webp"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>[0-9]+)/file", url_name="photo-file",
            renderer_classes=[JSONRenderer, ImageRenderer])
    def photo_file(self, request, pk=None, photo_pk=None):
        return self._photo_file(request, pk, photo_pk, thumbnail=False)

    @extend_schema(summary="A photo's thumbnail (JPEG, at most 480x480)", parameters=[TICKET_ID, PHOTO_ID],
                   responses={(200, "image/jpeg"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"photos/(?P<photo_pk>[0-9]+)/thumbnail",
            url_name="photo-thumbnail", renderer_classes=[JSONRenderer, ImageRenderer])
    def photo_thumbnail(self, request, pk=None, photo_pk=None):
        return self._photo_file(request, pk, photo_pk, thumbnail=True)

    @extend_schema(summary="Apply a macro (admins, engineers): post its text and perform its actions, all or nothing",
                   parameters=[TICKET_ID], request=MacroApplySerializer,
                   responses={200: TicketSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="apply-macro")
    def apply_macro(self, request, pk=None):
        ticket = self.get_object()
        if not permissions.can_use_macros(request.user):
            raise exceptions.PermissionDenied
        data = MacroApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        macro = values.pop("macro")
        if "body" not in values:
            values["body"] = services.macro_render(macro=macro, ticket=ticket, actor=request.user)
        call(services.macro_apply, actor=request.user, ticket=ticket, macro=macro, **values)
        return self._ticket_response(pk)

    @extend_schema(summary="The ticket's audit trail, oldest first (internal details: staff only)",
                   parameters=[TICKET_ID], responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        ticket = self.get_object()
        staff = permissions.can_see_internal(request.user)
        page = self.paginate_queryset(selectors.events_for(request.user, ticket))
        visible = []
        for event in page:
            changes = dict(event.changes or {})
            if not staff:
                if event.action == "comment" and changes.get("internal"):
                    continue  # customers do not learn that an internal note exists
                changes.pop("internal_note", None)
                changes.pop("internal", None)
            event.visible_changes = changes
            visible.append(event)
        return self.get_paginated_response(EventSerializer(visible, many=True).data)


def _make_action_endpoint(transition):
    body = action_serializer_for(transition)
    name = transition.action

    def endpoint(self, request, pk=None):
        return self._transition(request, pk, name, body)

    endpoint.__name__ = f"action_{name}"
    endpoint.__doc__ = (f"{transition.label}: allowed from {', '.join(transition.sources)} for "
                        f"{', '.join(transition.parties)}. 409 when the workflow refuses it now.")
    endpoint = action(detail=True, methods=["post"], url_path=f"actions/{name}", url_name=f"action-{name}")(endpoint)
    # extend_schema goes outside action(), as with decorators.
    return extend_schema(
        summary=f"Workflow action `{name}`: {transition.label}", parameters=[TICKET_ID], request=body,
        responses={200: TicketSerializer, 409: CONFLICT},
    )(endpoint)


# One endpoint per row of the transition table: the table is the only place knowing the actions.
for _transition in workflow.TRANSITIONS.values():
    setattr(TicketViewSet, f"action_{_transition.action}", _make_action_endpoint(_transition))


class MacroPermission(BasePermission):
    def has_permission(self, request, view):
        return permissions.can_use_macros(request.user)


@extend_schema_view(
    list=extend_schema(summary="Macros the caller may use: shared ones and their own"),
    create=extend_schema(summary="Add a personal macro (or, admins, a shared one)"),
    partial_update=extend_schema(summary="Change a macro you manage"),
    destroy=extend_schema(summary="Delete a macro you manage"),
)
class MacroViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = MacroSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    permission_classes = [IsAuthenticated, MacroPermission]

    def get_queryset(self):
        return selectors.macros_for(self.request.user).order_by("name", "id")

    def create(self, request):
        data = MacroSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        macro = services.macro_create(actor=request.user, shared=values.pop("shared", False), **values)
        return Response(MacroSerializer(macro).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        macro = self.get_object()
        data = MacroSerializer(macro, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {k: getattr(macro, k) for k in ("name", "body", "set_priority", "action", "assign_to")}
        values.update({k: v for k, v in data.validated_data.items() if k != "shared"})
        return Response(MacroSerializer(services.macro_update(actor=request.user, macro=macro, **values)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.macro_delete(actor=request.user, macro=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryList(generics.ListAPIView):
    """Active ticket categories (for the report form)."""

    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        return Category.objects.filter(active=True).order_by("name")


def register(router):
    from tickets import api_sla

    router.register("tickets", TicketViewSet, basename="ticket")
    router.register("macros", MacroViewSet, basename="macro")
    api_sla.register(router)


# Service reports: read, write, submit, sign, refuse, void (tickets/api_reports.py).
from tickets.api_reports import urlpatterns as _report_urls  # noqa: E402

urlpatterns = [
    path("categories/", CategoryList.as_view(), name="category-list"),
    *_report_urls,
]
