"""Service reports: one per visit, with admin-managed codes, parts, photos and the requester's sign-off.

Imported at the end of ``tickets/models.py``. Codes, times and quantities are plain typed fields so
that statistics (MTBF, MTTR, top failures) can be computed from them later.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helpdesk.choices import CachedChoicesDisplay


class CodeKind(models.TextChoices):
    SYMPTOM = "symptom", _("Symptom found")
    CAUSE = "cause", _("Cause")
    ACTION = "action", _("Action taken")


class ReportCode(models.Model):
    """An entry of one of the admin-managed code lists (symptom, cause, action)."""

    kind = models.CharField(_("list"), max_length=10, choices=CodeKind.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("Short and stable, e.g. LEAK or REPLACED."))
    label = models.CharField(_("label"), max_length=100)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive codes stay on old reports."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["kind", "sort_order", "label"]
        verbose_name = _("report code")
        verbose_name_plural = _("report codes")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="tickets_reportcode_kind_code_uniq"),
            models.CheckConstraint(condition=Q(kind__in=[k.value for k in CodeKind]),
                                   name="tickets_reportcode_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.label}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED = "signed", _("Signed")
    REFUSED = "refused", _("Refused by the requester")


EDITABLE_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.REFUSED)


class ServiceReport(CachedChoicesDisplay, models.Model):
    """What was found and done on one visit. Submitted reports are frozen; signed ones for good."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="reports")
    visit = models.PositiveSmallIntegerField(_("visit"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="service_reports")
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)

    arrived_at = models.DateTimeField(_("arrived"))
    departed_at = models.DateTimeField(_("departed"))
    travel_distance_km = models.DecimalField(_("travel distance (km)"), max_digits=7, decimal_places=1,
                                             null=True, blank=True)
    travel_minutes = models.PositiveIntegerField(_("travel time (minutes)"), null=True, blank=True)
    # The routing estimate the form was prefilled with (so edited values can be told apart).
    travel_estimate_km = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    travel_estimate_minutes = models.PositiveIntegerField(null=True, blank=True)
    labour_minutes = models.PositiveIntegerField(_("labour time (minutes)"))

    symptom = models.ForeignKey(ReportCode, verbose_name=_("symptom found"), on_delete=models.PROTECT,
                                related_name="+", limit_choices_to={"kind": CodeKind.SYMPTOM})
    symptom_text = models.TextField(_("symptom details"), blank=True)
    cause = models.ForeignKey(ReportCode, verbose_name=_("cause"), on_delete=models.PROTECT, related_name="+",
                              limit_choices_to={"kind": CodeKind.CAUSE})
    cause_text = models.TextField(_("cause details"), blank=True)
    action = models.ForeignKey(ReportCode, verbose_name=_("action taken"), on_delete=models.PROTECT,
                               related_name="+", limit_choices_to={"kind": CodeKind.ACTION})
    action_text = models.TextField(_("work done"), blank=True)

    follow_up_needed = models.BooleanField(_("follow-up visit needed"), default=False)
    follow_up_note = models.TextField(_("what is left for the next visit"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        ordering = ["ticket", "visit"]
        verbose_name = _("service report")
        verbose_name_plural = _("service reports")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "visit"], name="tickets_report_ticket_visit_uniq"),
            models.CheckConstraint(condition=Q(departed_at__gte=F("arrived_at")),
                                   name="tickets_report_departed_after_arrival"),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in ReportStatus]),
                                   name="tickets_report_status_valid"),
            models.CheckConstraint(condition=Q(visit__gte=1), name="tickets_report_visit_positive"),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="report_status_submitted_idx")]

    def __str__(self) -> str:
        return f"{self.ticket.reference} visit {self.visit}" if self.ticket_id else f"report {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:report_detail", args=[self.ticket_id, self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REPORT_STATUSES

    @property
    def is_submitted(self) -> bool:
        return self.status not in EDITABLE_REPORT_STATUSES

    @property
    def on_site_minutes(self) -> int:
        return max(0, int((self.departed_at - self.arrived_at).total_seconds() // 60))

    @property
    def travel_edited(self) -> bool:
        return (self.travel_estimate_km is not None
                and (self.travel_distance_km != self.travel_estimate_km
                     or self.travel_minutes != self.travel_estimate_minutes))


class ReportPart(models.Model):
    report = models.ForeignKey(ServiceReport, on_delete=models.CASCADE, related_name="parts")
    part_number = models.CharField(_("part number"), max_length=60, blank=True)
    description = models.CharField(_("part"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)

    class Meta:
        ordering = ["id"]
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="tickets_reportpart_qty_positive")]

    def __str__(self) -> str:
        return f"{self.quantity:g} × {self.description}"


def _report_photo_path(instance, filename):
    # The caller passes a generated name; never the uploader's.
    return f"tickets/{instance.report.ticket_id}/reports/{instance.report_id}/{filename}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(ServiceReport, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("image"), upload_to=_report_photo_path)
    thumbnail = models.FileField(_("thumbnail"), upload_to=_report_photo_path)
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    # SHA-256 of the stored (re-encoded) image: part of the signed content.
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.original_name or f"report photo {self.pk}"


class SignOffOutcome(models.TextChoices):
    SIGNED = "signed", _("Signed")
    REFUSED = "refused", _("Refused")


class ReportSignOff(models.Model):
    """One answer of the requester to a submitted report (append-only; a signature may be voided)."""

    report = models.ForeignKey(ServiceReport, on_delete=models.PROTECT, related_name="signoffs")
    outcome = models.CharField(max_length=10, choices=SignOffOutcome.choices)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signature (typed name)"), max_length=150, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    # SHA-256 of the canonical report content (reports.content) at the moment of the answer.
    content_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    void_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=Q(outcome="signed", voided_at__isnull=True),
                                    name="tickets_signoff_one_valid_signature"),
            models.CheckConstraint(condition=Q(outcome__in=["signed", "refused"]), name="tickets_signoff_outcome"),
            models.CheckConstraint(condition=~Q(outcome="refused") | ~Q(reason=""),
                                   name="tickets_signoff_refusal_has_reason"),
            models.CheckConstraint(condition=~Q(outcome="signed") | ~Q(signer_name=""),
                                   name="tickets_signoff_signature_has_name"),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.report}"

    @property
    def is_valid_signature(self) -> bool:
        return self.outcome == SignOffOutcome.SIGNED and self.voided_at is None
