"""Service reports in the REST API (read-only): /api/v1/tickets/<pk>/reports/[<id>/].

Writing and signing happen on the pages (signing needs the password typed by a person).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from tickets import report_selectors, selectors
from tickets.report_models import ReportCode, ReportPart, ServiceReport

# 400/401/403/404/429 with the one error body are declared for every operation by helpdesk/api/schema.py.


class CodeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportCode
        fields = ("code", "label")


class PartSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportPart
        fields = ("part_number", "description", "quantity")


class SignatureSerializer(serializers.Serializer):
    signer_name = serializers.CharField()
    signed_at = serializers.DateTimeField(source="created_at")
    content_digest = serializers.CharField()


class ReportSerializer(serializers.ModelSerializer):
    symptom = CodeSerializer()
    cause = CodeSerializer()
    action = CodeSerializer()
    parts = PartSerializer(many=True)
    author = serializers.CharField(source="author.get_full_name")
    signature = serializers.SerializerMethodField()

    class Meta:
        model = ServiceReport
        fields = ("id", "visit", "status", "author", "arrived_at", "departed_at", "travel_distance_km",
                  "travel_minutes", "labour_minutes", "symptom", "symptom_text", "cause", "cause_text", "action",
                  "action_text", "follow_up_needed", "follow_up_note", "parts", "submitted_at", "signature")
        read_only_fields = fields

    @extend_schema_field(SignatureSerializer(allow_null=True))
    def get_signature(self, obj):
        signature = next((s for s in obj.signoffs.all() if s.is_valid_signature), None)
        return SignatureSerializer(signature).data if signature else None


class ReportList(generics.ListAPIView):
    """The ticket's reports the user may read, by visit (drafts only for staff and their author)."""

    serializer_class = ReportSerializer
    pagination_class = None  # a job has a handful of visits

    def get_queryset(self):
        ticket = selectors.ticket_get_for(self.request.user, self.kwargs["ticket_pk"])
        visible = [r.pk for r in report_selectors.reports_for(self.request.user, ticket)]
        return (ServiceReport.objects.filter(pk__in=visible).select_related(*report_selectors.REPORT_RELATED)
                .prefetch_related("parts", "signoffs").order_by("visit"))

    @extend_schema(responses={200: ReportSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportDetail(generics.RetrieveAPIView):
    serializer_class = ReportSerializer

    def get_object(self):
        return report_selectors.report_get_for(self.request.user, self.kwargs["ticket_pk"], self.kwargs["pk"])

    @extend_schema(responses={200: ReportSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("tickets/<int:ticket_pk>/reports/", ReportList.as_view(), name="ticket-reports"),
    path("tickets/<int:ticket_pk>/reports/<int:pk>/", ReportDetail.as_view(), name="ticket-report"),
]
