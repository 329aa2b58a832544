"""The knowledge base in the REST API (/api/v1/articles/): the same selectors (visibility, ranked search,
suggestions), permissions and services as the knowledge pages. Articles the caller may not read are 404;
a role that may never do something is 403; a state that forbids it now (publishing a published article)
is 409.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from facilities.models import Equipment
from helpdesk.api.errors import Conflict
from helpdesk.api.schema import CONFLICT
from knowledge import permissions, selectors, services
from knowledge.models import Article, ArticleStatus
from knowledge.serializers import (
    ArticleDetailSerializer,
    ArticleFilterSerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    DeflectSerializer,
    PrefillSerializer,
    SearchSerializer,
    SuggestionsSerializer,
    SuggestQuerySerializer,
    VoteSerializer,
)
from knowledge.services import ArticleStateError

ARTICLE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The article's id.")
TICKET_ID = OpenApiParameter("ticket_pk", int, OpenApiParameter.PATH, description="The resolved ticket's id.")


def _state(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ArticleStateError as exc:
        raise Conflict(exc.message) from None


def _refuse(user, article, message: str):
    """403 unless the caller is the article's author on the staff: then only its state refuses (409)."""
    if permissions.is_staff_reader(user) and article.author_id == user.pk:
        raise Conflict(message)
    raise exceptions.PermissionDenied(message)


@extend_schema_view(
    list=extend_schema(summary="Articles the caller may read (customers: published, for customers); "
                               "ranked by relevance with `q`", parameters=[ArticleFilterSerializer]),
    retrieve=extend_schema(summary="One article, with the actions the caller may take on it",
                           parameters=[ARTICLE_ID]),
)
class ArticleViewSet(viewsets.GenericViewSet):
    serializer_class = ArticleSerializer
    lookup_value_regex = "[0-9]+"
    queryset = Article.objects.none()  # schema generation only; every read uses the selectors

    def get_queryset(self):
        return selectors.articles_visible_to(self.request.user)

    def get_object(self):
        return selectors.article_get_for(self.request.user, self.kwargs["pk"])

    def _detail(self, article, code=status.HTTP_200_OK):
        article = selectors.article_get_for(self.request.user, article.pk)
        return Response(ArticleDetailSerializer(article, context=self.get_serializer_context()).data, status=code)

    def _page(self, qs):
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(ArticleSerializer(page, many=True).data)

    # --- reading and searching ------------------------------------------------------------

    def list(self, request):
        data = ArticleFilterSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        filters = dict(data.validated_data)
        return self._page(selectors.article_list(user=request.user, **filters))

    def retrieve(self, request, pk=None):
        return Response(ArticleDetailSerializer(self.get_object(), context=self.get_serializer_context()).data)

    @extend_schema(summary="Ranked full-text search (the knowledge page's search): every word must match",
                   parameters=[SearchSerializer], responses=ArticleSerializer(many=True))
    @action(detail=False, methods=["get"])
    def search(self, request):
        data = SearchSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        return self._page(selectors.article_list(user=request.user, q=data.validated_data["q"]))

    @extend_schema(summary="Suggestions while a ticket is typed: published articles and similar resolved tickets "
                           "the caller may see", parameters=[SuggestQuerySerializer],
                   responses=SuggestionsSerializer)
    @action(detail=False, methods=["get"], pagination_class=None)
    def suggestions(self, request):
        data = SuggestQuerySerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        text = f'{values["title"]} {values["description"][:500]}'.strip()
        equipment = None
        if values.get("equipment"):
            equipment = Equipment.objects.select_related("model").filter(pk=values["equipment"]).first()
        articles = selectors.suggestions_for(user=request.user, text=text, equipment=equipment) if text else []
        similar = (selectors.similar_resolved_tickets(user=request.user, text=text, equipment=equipment)
                   if text else [])
        return Response(SuggestionsSerializer({
            "articles": articles,
            "similar_tickets": [{"id": t.pk, "reference": t.reference, "title": t.title, "status": t.status}
                                for t in similar],
        }).data)

    @extend_schema(summary="Drafts proposed for review, oldest first (engineers, admins)",
                   responses=ArticleSerializer(many=True))
    @action(detail=False, methods=["get"])
    def review(self, request):
        if not permissions.can_review(request.user):
            raise exceptions.PermissionDenied("Only engineers and admins review proposals.")
        return self._page(selectors.articles_for_review(request.user))

    # --- writing --------------------------------------------------------------------------

    @extend_schema(summary="Write a draft (staff; technicians' drafts are proposed for review)",
                   request=ArticleWriteSerializer, responses={201: ArticleDetailSerializer})
    def create(self, request):
        if not permissions.can_create(request.user):
            raise exceptions.PermissionDenied("Only staff write articles.")
        data = ArticleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_create(actor=request.user, **data.validated_data)
        return self._detail(article, status.HTTP_201_CREATED)

    @extend_schema(summary="Change an article's text and links (editors; a technician their own draft)",
                   parameters=[ARTICLE_ID], request=ArticleWriteSerializer,
                   responses={200: ArticleDetailSerializer, 409: CONFLICT})
    def partial_update(self, request, pk=None):
        article = self.get_object()
        if not permissions.can_edit(request.user, article):
            _refuse(request.user, article, "Only drafts you wrote (or, editors, any article) can be changed.")
        data = ArticleWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {"title": article.title, "body": article.body, "visibility": article.visibility,
                  "tags": [t.name for t in article.tags.all()],
                  "equipment_models": list(article.equipment_models.all()), "categories": article.category_list,
                  **data.validated_data}
        article = services.article_update(actor=request.user, article=article, **values)
        return self._detail(article)

    @extend_schema(summary="Delete an article (admins; staff their own unpublished drafts)",
                   parameters=[ARTICLE_ID], responses={204: None, 409: CONFLICT})
    def destroy(self, request, pk=None):
        article = self.get_object()
        if not permissions.can_delete(request.user, article):
            _refuse(request.user, article, "A published article is deleted by an admin only.")
        services.article_delete(actor=request.user, article=article)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="A draft from a resolved ticket: GET the prefilled text, POST to save it (staff)",
                   parameters=[TICKET_ID], request=ArticleWriteSerializer,
                   responses={200: PrefillSerializer, 201: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=False, methods=["get", "post"], url_path=r"from-ticket/(?P<ticket_pk>[0-9]+)",
            url_name="from-ticket", pagination_class=None)
    def from_ticket(self, request, ticket_pk=None):
        from tickets.selectors import ticket_get_for

        ticket = ticket_get_for(request.user, ticket_pk)
        if not permissions.can_create_from_ticket(request.user, ticket):
            if permissions.can_create(request.user):
                raise Conflict("Only resolved or closed tickets become articles.")
            raise exceptions.PermissionDenied("Only staff write articles.")
        if request.method == "GET":
            prefill = selectors.article_prefill_from_ticket(ticket)
            prefill["equipment_models"] = [m.pk for m in prefill["equipment_models"]]
            prefill["categories"] = [c for c in prefill["categories"].split(",") if c.strip()]
            return Response(PrefillSerializer(prefill).data)
        data = ArticleWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_create_from_ticket(actor=request.user, ticket=ticket, **data.validated_data)
        return self._detail(article, status.HTTP_201_CREATED)

    # --- workflow, votes, deflections -----------------------------------------------------

    def _workflow(self, request, service, allowed_role: bool, message: str):
        article = self.get_object()
        if not allowed_role:
            raise exceptions.PermissionDenied(message)
        try:
            article = _state(service, actor=request.user, article=article)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc) or message) from None
        return self._detail(article)

    @extend_schema(summary="Propose a draft for review (its author)", parameters=[ARTICLE_ID], request=None,
                   responses={200: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        article = self.get_object()
        allowed = permissions.is_staff_reader(request.user) and article.author_id == request.user.pk
        return self._workflow(request, services.article_propose, allowed, "Only the author proposes a draft.")

    @extend_schema(summary="Publish a draft or a proposal (engineers, admins)", parameters=[ARTICLE_ID],
                   request=None, responses={200: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._workflow(request, services.article_publish, permissions.can_review(request.user),
                              "Only engineers and admins publish articles.")

    @extend_schema(summary="Unpublish: back to draft (engineers, admins)", parameters=[ARTICLE_ID],
                   request=None, responses={200: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        return self._workflow(request, services.article_unpublish, permissions.can_review(request.user),
                              "Only engineers and admins unpublish articles.")

    @extend_schema(summary="Send a proposal back to its author as a draft (engineers, admins)",
                   parameters=[ARTICLE_ID], request=None, responses={200: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        return self._workflow(request, services.article_return, permissions.can_review(request.user),
                              "Only engineers and admins review proposals.")

    @extend_schema(summary="\"Was this helpful?\": one vote per reader, voting again changes it",
                   parameters=[ARTICLE_ID], request=VoteSerializer,
                   responses={200: ArticleDetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def vote(self, request, pk=None):
        article = self.get_object()
        if article.status != ArticleStatus.PUBLISHED:
            raise Conflict("Only published articles take votes.")
        data = VoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        article = services.article_vote(actor=request.user, article=article, helpful=data.validated_data["helpful"])
        return self._detail(article)

    @extend_schema(summary="\"This solved it\" while reporting: counted, no ticket is created",
                   parameters=[ARTICLE_ID], request=DeflectSerializer, responses={204: None, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def solved(self, request, pk=None):
        article = self.get_object()
        if article.status != ArticleStatus.PUBLISHED:
            raise Conflict("Only published articles solve problems.")
        data = DeflectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.article_deflect(actor=request.user, article=article, query=data.validated_data["query"])
        return Response(status=status.HTTP_204_NO_CONTENT)


def register(router):
    router.register("articles", ArticleViewSet, basename="article")
