"""Service reports: write (one per visit), submit (the last one resolves the job), sign off, refuse, void.

Status changes of the ticket go through ``ticket_transition`` and the workflow table (``resolve``,
``refuse_report``, ``void_signoff``, ``close``); the report services only add the report's own rows,
``TicketEvent`` rows and the ``report_*`` signals.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import ImageOps

from tickets import permissions, signals
from tickets.errors import ActionNotAllowed, TicketError
from tickets.models import Status, Ticket
from tickets.report_content import report_digest
from tickets.report_models import (
    CodeKind,
    ReportCode,
    ReportPart,
    ReportPhoto,
    ReportSignOff,
    ReportStatus,
    ServiceReport,
    SignOffOutcome,
)
from tickets.services.common import lock, now, record_event

# Reuse the ticket photo rules (decode fully, size and pixel limits, re-encode without EXIF, thumbnail).
from tickets.services.photos import FORMATS, _decode, _encode, _name, _thumbnail
from tickets.services.tickets import ticket_transition

MAX_REPORT_PHOTOS = 10
MAX_PARTS = 50
MAX_TEXT = 10_000
MAX_VISIT_HOURS = 24 * 7
REPORT_FIELDS = (
    "arrived_at", "departed_at", "travel_distance_km", "travel_minutes", "labour_minutes",
    "symptom", "symptom_text", "cause", "cause_text", "action", "action_text", "follow_up_needed", "follow_up_note",
)


class WrongPassword(TicketError):
    """The password typed to sign did not match: nothing was signed (the failure is counted by axes)."""


def _clean(fields: dict) -> dict:
    """Validate report fields; ValidationError keyed by field."""
    errors: dict[str, str] = {}
    data = dict(fields)
    for key in ("symptom_text", "cause_text", "action_text", "follow_up_note"):
        data[key] = (data.get(key) or "").strip()
        if len(data[key]) > MAX_TEXT:
            errors[key] = _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}
    for key, kind in (("symptom", CodeKind.SYMPTOM), ("cause", CodeKind.CAUSE), ("action", CodeKind.ACTION)):
        code = data.get(key)
        if code is None:
            errors[key] = _("Choose a code from the list.")
        elif not isinstance(code, ReportCode) or code.kind != kind:
            errors[key] = _("This code belongs to another list.")
    arrived, departed = data.get("arrived_at"), data.get("departed_at")
    if arrived is None:
        errors["arrived_at"] = _("When did you arrive?")
    if departed is None:
        errors["departed_at"] = _("When did you leave?")
    if arrived and departed:
        if departed < arrived:
            errors["departed_at"] = _("Departure is before arrival.")
        elif departed - arrived > timedelta(hours=MAX_VISIT_HOURS):
            errors["departed_at"] = _("A visit lasts at most a week; split longer work into several visits.")
        if arrived > now() + timedelta(minutes=15):
            errors["arrived_at"] = _("The arrival time is in the future.")
    labour = data.get("labour_minutes")
    if labour is None:
        errors["labour_minutes"] = _("How many minutes of work?")
    elif labour < 0 or labour > 60 * 24 * 7:
        errors["labour_minutes"] = _("Enter the labour time in minutes (0 to 10080).")
    distance = data.get("travel_distance_km")
    if distance is not None and (distance < 0 or distance > Decimal("99999")):
        errors["travel_distance_km"] = _("Enter a distance between 0 and 99999 km.")
    minutes = data.get("travel_minutes")
    if minutes is not None and (minutes < 0 or minutes > 60 * 48):
        errors["travel_minutes"] = _("Enter a travel time between 0 and 2880 minutes.")
    data["follow_up_needed"] = bool(data.get("follow_up_needed"))
    if data["follow_up_needed"] and not data["follow_up_note"]:
        errors["follow_up_note"] = _("Say what is left for the next visit.")
    if errors:
        raise ValidationError(errors)
    return data


def _clean_parts(parts) -> list[dict]:
    out, errors = [], []
    for i, line in enumerate(parts or (), start=1):
        description = (line.get("description") or "").strip()
        number = (line.get("part_number") or "").strip()
        quantity = line.get("quantity")
        if not description and not number:
            continue
        if not description:
            description = number
        if quantity is None or quantity <= 0:
            errors.append(_("Part line %(n)s: the quantity must be more than 0.") % {"n": i})
            continue
        out.append({"description": description[:200], "part_number": number[:60], "quantity": quantity})
    if len(out) > MAX_PARTS:
        errors.append(_("At most %(n)s part lines.") % {"n": MAX_PARTS})
    if errors:
        raise ValidationError({"parts": errors})
    return out


def report_photo_validate(upload) -> None:
    """The same checks as ticket photos (raises ValidationError)."""
    _decode(upload)


def _add_photo(*, actor, report: ServiceReport, upload) -> ReportPhoto:
    image, fmt = _decode(upload)
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    content_type, ext = FORMATS[fmt]
    data = _encode(image, fmt)
    stem = uuid.uuid4().hex
    photo = ReportPhoto(
        report=report, content_type=content_type, width=image.width, height=image.height, size=len(data),
        sha256=hashlib.sha256(data).hexdigest(), original_name=_name(upload)[:255], uploaded_by=actor,
    )
    photo.image.save(f"{stem}.{ext}", ContentFile(data), save=False)
    photo.thumbnail.save(f"{stem}_thumb.jpg", ContentFile(_thumbnail(image)), save=False)
    photo.save()
    return photo


def _write_children(*, actor, report: ServiceReport, parts, photos, remove_photo_ids=()):
    if parts is not None:
        report.parts.all().delete()
        ReportPart.objects.bulk_create([ReportPart(report=report, **line) for line in parts])
    if remove_photo_ids:
        for photo in report.photos.filter(pk__in=list(remove_photo_ids)):
            photo.image.delete(save=False)
            photo.thumbnail.delete(save=False)
            photo.delete()
    if photos:
        if report.photos.count() + len(photos) > MAX_REPORT_PHOTOS:
            raise ValidationError({"photos": _("A report holds at most %(n)s photos.") % {"n": MAX_REPORT_PHOTOS}})
        for upload in photos:
            _add_photo(actor=actor, report=report, upload=upload)


def travel_prefill(*, user, ticket: Ticket) -> dict:
    """The routing estimate from the user's home site to the ticket's site, as report field values."""
    from facilities.selectors import travel_estimate_for

    estimate = travel_estimate_for(user, ticket.site) if ticket.site_id else None
    if estimate is None:
        return {}
    return {"travel_distance_km": Decimal(str(round(estimate.distance_km, 1))),
            "travel_minutes": int(estimate.duration_min)}


@transaction.atomic
def report_create(*, actor, ticket: Ticket, parts=(), photos=(), **fields) -> ServiceReport:
    """A draft report for the ticket's next visit (one open draft at a time), travel estimate kept beside it."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown report fields: {sorted(unknown)}")
    locked = lock(ticket)
    if not permissions.can_write_report(actor, locked):
        raise PermissionDenied(_("Only the assignee writes service reports, while the job is being worked."))
    # One open draft per writer (a draft left by a previous assignee does not block the new one).
    if locked.reports.filter(status=ReportStatus.DRAFT, author=actor).exists():
        raise ActionNotAllowed(_("Finish or submit the draft report of this job first."))
    data = _clean(fields)
    lines = _clean_parts(parts)
    for upload in photos:
        _decode(upload)  # a bad file creates nothing
    if len(photos) > MAX_REPORT_PHOTOS:
        raise ValidationError({"photos": _("A report holds at most %(n)s photos.") % {"n": MAX_REPORT_PHOTOS}})
    estimate = travel_prefill(user=actor, ticket=locked)
    visit = (locked.reports.order_by("-visit").values_list("visit", flat=True).first() or 0) + 1
    report = ServiceReport.objects.create(
        ticket=locked, visit=visit, author=actor, status=ReportStatus.DRAFT,
        travel_estimate_km=estimate.get("travel_distance_km"), travel_estimate_minutes=estimate.get("travel_minutes"),
        **data,
    )
    _write_children(actor=actor, report=report, parts=lines, photos=photos)
    record_event(ticket=locked, actor=actor, action="report_draft", changes={"report_id": report.pk, "visit": visit})
    return report


def _lock_report(report: ServiceReport) -> tuple[Ticket, ServiceReport]:
    """Lock the ticket first (the order every service uses), then read the report afresh."""
    ticket = lock(report.ticket_id)
    fresh = ServiceReport.objects.select_for_update().get(pk=report.pk)
    fresh.ticket = ticket
    return ticket, fresh


@transaction.atomic
def report_update(*, actor, report: ServiceReport, parts=None, photos=(), remove_photo_ids=(),
                  **fields) -> ServiceReport:
    """Change a draft (or refused) report; a submitted or signed report is never changed."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise ValueError(f"unknown report fields: {sorted(unknown)}")
    ticket, locked = _lock_report(report)
    if not locked.is_editable:
        raise ActionNotAllowed(_("This report was submitted or signed and can no longer be changed."))
    if not permissions.can_edit_report(actor, locked):
        raise PermissionDenied(_("You may not change this report."))
    current = {f: getattr(locked, f) for f in REPORT_FIELDS}
    current.update(fields)
    data = _clean(current)
    lines = _clean_parts(parts) if parts is not None else None
    for upload in photos:
        _decode(upload)
    for key, value in data.items():
        setattr(locked, key, value)
    locked.save()
    _write_children(actor=actor, report=locked, parts=lines, photos=photos, remove_photo_ids=remove_photo_ids)
    return locked


def _summary(report: ServiceReport) -> str:
    text = f"{report.action.label}: {report.action_text}" if report.action_text else report.action.label
    return _("Service report, visit %(n)s. %(text)s") % {"n": report.visit, "text": text[:2000]}


@transaction.atomic
def report_submit(*, actor, report: ServiceReport) -> ServiceReport:
    """Freeze the report. Without a follow-up visit it is the last one: the job is resolved (workflow ``resolve``)."""
    ticket, locked = _lock_report(report)
    if not locked.is_editable:
        raise ActionNotAllowed(_("This report was already submitted."))
    if not permissions.can_edit_report(actor, locked):
        raise PermissionDenied(_("You may not submit this report."))
    _clean({f: getattr(locked, f) for f in REPORT_FIELDS})
    locked.status = ReportStatus.SUBMITTED
    locked.submitted_at = now()
    locked.save()
    if locked.follow_up_needed:
        event = record_event(ticket=ticket, actor=actor, action="report_submitted",
                             changes={"report_id": locked.pk, "visit": locked.visit, "follow_up": True,
                                      "comment": locked.follow_up_note})
    else:
        # via_service: the report is what a category needing one resolves its jobs with (workflow.report_required).
        ticket = ticket_transition(actor=actor, ticket=ticket, action="resolve", comment=_summary(locked),
                                   via_service=True)
        event = ticket.events.order_by("-id").first()
    locked.ticket = ticket
    signals.report_submitted.send(sender=Ticket, ticket=ticket, report=locked, actor=actor, event=event)
    return locked


def client_ip(request) -> str | None:
    """The client address as django-axes sees it (it honours the configured proxy count)."""
    ip = getattr(request, "axes_ip_address", None)
    if not ip:
        try:
            from axes.helpers import get_client_ip_address

            ip = get_client_ip_address(request)
        except Exception:  # noqa: BLE001 - the address is evidence, not a requirement
            ip = None
    return ip or request.META.get("REMOTE_ADDR") or None


def _user_agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT") or "")[:500]


def report_sign_off(*, actor, report: ServiceReport, password: str, signer_name: str, request) -> ReportSignOff:
    """The requester signs by re-entering the password (a failure counts toward the login throttle).

    Stores who, when, IP, user agent and the SHA-256 of the report's content; with
    ``FIXDESK_CLOSE_ON_SIGNOFF`` the ticket is closed on the requester's behalf.
    """
    signer_name = " ".join((signer_name or "").split())
    if not permissions.can_sign_report(actor, report):
        raise ActionNotAllowed(_("This report cannot be signed by you now."))
    errors = {}
    if not password:
        errors["password"] = _("Enter your password to sign.")
    if len(signer_name) < 2:
        errors["signer_name"] = _("Type your full name as your signature.")
    elif len(signer_name) > 150:
        errors["signer_name"] = _("Keep the name under 150 characters.")
    if errors:
        raise ValidationError(errors)
    # Outside the transaction: axes must record a failure even though nothing is signed.
    user = authenticate(request=request, username=actor.email, password=password)
    if user is None or user.pk != actor.pk:
        raise WrongPassword(_("That password is not right. Nothing was signed."))
    return _sign(actor=actor, report=report, signer_name=signer_name, ip=client_ip(request),
                 user_agent=_user_agent(request))


@transaction.atomic
def _sign(*, actor, report, signer_name, ip, user_agent) -> ReportSignOff:
    ticket, locked = _lock_report(report)
    if not permissions.can_sign_report(actor, locked):
        raise ActionNotAllowed(_("This report cannot be signed by you now."))
    signoff = ReportSignOff.objects.create(
        report=locked, outcome=SignOffOutcome.SIGNED, signer=actor, signer_name=signer_name, ip_address=ip,
        user_agent=user_agent, content_digest=report_digest(locked),
    )
    locked.status = ReportStatus.SIGNED
    locked.save(update_fields=["status", "updated_at"])
    event = record_event(ticket=ticket, actor=actor, action="report_signed",
                         changes={"report_id": locked.pk, "visit": locked.visit, "signer_name": signer_name,
                                  "digest": signoff.content_digest})
    signals.report_signed.send(sender=Ticket, ticket=ticket, report=locked, actor=actor, event=event)
    if getattr(settings, "FIXDESK_CLOSE_ON_SIGNOFF", False):
        ticket_transition(actor=actor, ticket=ticket, action="close",
                          comment=_("Closed automatically when the service report was signed."))
    return signoff


@transaction.atomic
def report_refuse(*, actor, report: ServiceReport, reason: str, request=None) -> ReportSignOff:
    """The requester refuses the report with a reason: the job goes back to work (``refuse_report``)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is not right, so the technician can fix it.")})
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}})
    ticket, locked = _lock_report(report)
    if not permissions.can_sign_report(actor, locked):
        raise ActionNotAllowed(_("This report cannot be answered by you now."))
    signoff = ReportSignOff.objects.create(
        report=locked, outcome=SignOffOutcome.REFUSED, signer=actor, reason=reason,
        ip_address=client_ip(request) if request else None, user_agent=_user_agent(request) if request else "",
        content_digest=report_digest(locked),
    )
    locked.status = ReportStatus.REFUSED
    locked.refusal_reason = reason  # read by the notifications receiver
    locked.save(update_fields=["status", "updated_at"])
    ticket = ticket_transition(actor=actor, ticket=ticket, action="refuse_report", comment=reason, via_service=True)
    event = ticket.events.order_by("-id").first()
    signals.report_refused.send(sender=Ticket, ticket=ticket, report=locked, actor=actor, event=event,
                                reason=reason)
    return signoff


@transaction.atomic
def report_void(*, actor, report: ServiceReport, reason: str) -> ReportSignOff:
    """An admin voids the signature (reason kept); the report waits for a new sign-off, a closed job reopens."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the signature is voided.")})
    ticket, locked = _lock_report(report)
    if not permissions.can_void_signoff(actor, locked):
        raise ActionNotAllowed(_("Only a signed report's signature can be voided, by an admin."))
    signoff = locked.signoffs.select_for_update().get(outcome=SignOffOutcome.SIGNED, voided_at__isnull=True)
    signoff.voided_at = now()
    signoff.voided_by = actor
    signoff.void_reason = reason[:MAX_TEXT]
    signoff.save(update_fields=["voided_at", "voided_by", "void_reason"])
    locked.status = ReportStatus.SUBMITTED
    locked.save(update_fields=["status", "updated_at"])
    if ticket.status == Status.CLOSED:
        ticket = ticket_transition(actor=actor, ticket=ticket, action="void_signoff", comment=reason,
                                   via_service=True)
        event = ticket.events.order_by("-id").first()
    elif ticket.status == Status.RESOLVED:
        event = record_event(ticket=ticket, actor=actor, action="report_voided",
                             changes={"report_id": locked.pk, "visit": locked.visit, "comment": reason})
    else:
        raise ActionNotAllowed(_("The job is no longer waiting for a sign-off."))
    # The report asks for a new sign-off: announced like a freshly submitted report.
    signals.report_submitted.send(sender=Ticket, ticket=ticket, report=locked, actor=actor, event=event,
                                  after_void=True)
    return signoff
