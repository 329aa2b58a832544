"""Service report pages: write and submit (assignee, phone first), sign or refuse (requester), void (admin),
the printable page and the PDF. Thin: parse, call one selector or service, render or redirect."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tickets import permissions, report_selectors, selectors, services
from tickets.errors import TicketError
from tickets.report_content import report_content, report_digest
from tickets.report_forms import PartFormSet, RefuseForm, ReportForm, SignForm, VoidForm, part_lines
from tickets.services.reports import REPORT_FIELDS
from tickets.views import _apply_errors


def _initial_times(ticket) -> dict:
    """Arrival = when the work was last started or resumed (if within a day), departure = now."""
    end = timezone.localtime().replace(second=0, microsecond=0)
    started = (ticket.events.filter(action__in=("start", "resume", "refuse_report"))
               .order_by("-created_at").values_list("created_at", flat=True).first())
    start = end - timedelta(hours=1)
    if started and end - timedelta(hours=24) <= started <= end:
        start = timezone.localtime(started).replace(second=0, microsecond=0)
    return {"arrived_at": start, "departed_at": end,
            "labour_minutes": max(0, int((end - start).total_seconds() // 60))}


def _render_form(request, ticket, form, parts, report=None, status=200):
    return render(request, "tickets/report_form.html", {
        "ticket": ticket, "form": form, "parts": parts, "report": report,
        "estimate": services.travel_prefill(user=request.user, ticket=ticket),
    }, status=status)


def _save(request, ticket, report=None):
    """Validate the form and parts; create or update; submit when the "submit" button was used."""
    form = ReportForm(request.POST, request.FILES, report=report)
    parts = PartFormSet(request.POST, prefix="parts")
    if form.is_valid() and parts.is_valid():
        try:
            kwargs = form.service_kwargs()
            if report is None:
                report = services.report_create(actor=request.user, ticket=ticket, parts=part_lines(parts),
                                                photos=form.cleaned_data["photos"], **kwargs)
            else:
                services.report_update(actor=request.user, report=report, parts=part_lines(parts),
                                       photos=form.cleaned_data["photos"],
                                       remove_photo_ids=[int(x) for x in form.cleaned_data.get("remove_photos", [])],
                                       **kwargs)
            if "submit" in request.POST:
                report = services.report_submit(actor=request.user, report=report)
        except TicketError as exc:
            messages.error(request, exc.message)
            if report is not None and report.pk:
                # Saved but not submitted (e.g. the job is on hold): everything typed is in the draft.
                return redirect("tickets:report_edit", ticket.pk, report.pk)
            return _render_form(request, ticket, form, parts, report, status=409)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            if report.is_submitted:
                if report.follow_up_needed:
                    messages.success(request, _("Visit %(n)s recorded. Write the next report after the follow-up "
                                                "visit.") % {"n": report.visit})
                else:
                    messages.success(request, _("Report submitted: the job is resolved and the requester is asked "
                                                "to sign it."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect(report)
    return _render_form(request, ticket, form, parts, report, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_create(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    if not permissions.can_write_report(request.user, ticket):
        raise PermissionDenied
    draft = ticket.reports.filter(status="draft", author=request.user).first()
    if draft is not None:
        messages.info(request, _("This job already has a draft report: continue it."))
        return redirect("tickets:report_edit", ticket.pk, draft.pk)
    if request.method == "POST":
        return _save(request, ticket)
    initial = {**_initial_times(ticket), **services.travel_prefill(user=request.user, ticket=ticket)}
    return _render_form(request, ticket, ReportForm(initial=initial), PartFormSet(prefix="parts"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report_edit(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    if not permissions.can_edit_report(request.user, report):
        if not report.is_editable:
            messages.error(request, _("This report was submitted or signed and can no longer be changed."))
            return redirect(report)
        raise PermissionDenied
    ticket = report.ticket
    if request.method == "POST":
        return _save(request, ticket, report)
    initial = {f: getattr(report, f) for f in REPORT_FIELDS}
    for key in ("arrived_at", "departed_at"):
        initial[key] = timezone.localtime(initial[key])
    parts = PartFormSet(prefix="parts", initial=[
        {"part_number": p.part_number, "description": p.description, "quantity": p.quantity}
        for p in report.parts.all()])
    return _render_form(request, ticket, ReportForm(initial=initial, report=report), parts, report)


def _render_detail(request, report, *, sign_form=None, refuse_form=None, void_form=None, status=200):
    user = request.user
    can_sign = permissions.can_sign_report(user, report)
    signature = report_selectors.valid_signature(report)
    return render(request, "tickets/report_detail.html", {
        "ticket": report.ticket, "report": report, "parts": list(report.parts.all()),
        "photos": list(report.photos.all()), "signoffs": report_selectors.signoffs_for(report),
        "signature": signature,
        "digest_matches": signature is not None and signature.content_digest == report_digest(report),
        "can_edit": permissions.can_edit_report(user, report),
        "can_download": permissions.can_download_report(user, report),
        "can_sign": can_sign,
        "sign_form": sign_form or (SignForm(initial={"signer_name": user.get_full_name()}) if can_sign else None),
        "refuse_form": refuse_form or (RefuseForm() if can_sign else None),
        "void_form": void_form or (VoidForm() if permissions.can_void_signoff(user, report) else None),
        "open_form": "sign" if sign_form else "refuse" if refuse_form else "void" if void_form else "",
    }, status=status)


@require_safe
@login_required
def report_detail(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    return _render_detail(request, report)


@require_POST
@login_required
def report_submit(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    try:
        services.report_submit(actor=request.user, report=report)
    except PermissionDenied:
        raise
    except TicketError as exc:
        messages.error(request, exc.message)
        return redirect(report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("tickets:report_edit", report.ticket_id, report.pk)
    messages.success(request, _("Report submitted."))
    return redirect(report)


@require_POST
@login_required
def report_sign(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    if not permissions.can_sign_report(request.user, report):
        raise PermissionDenied
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.report_sign_off(actor=request.user, report=report, password=form.cleaned_data["password"],
                                     signer_name=form.cleaned_data["signer_name"], request=request)
        except services.WrongPassword as exc:
            form.add_error("password", exc.message)
            return _render_detail(request, report, sign_form=form, status=403)
        except TicketError as exc:
            messages.error(request, exc.message)
            return redirect(report)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you: the report is signed."))
            return redirect(report)
    return _render_detail(request, report, sign_form=form, status=400)


@require_POST
@login_required
def report_refuse(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    if not permissions.can_sign_report(request.user, report):
        raise PermissionDenied
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.report_refuse(actor=request.user, report=report, reason=form.cleaned_data["reason"],
                                   request=request)
        except TicketError as exc:
            messages.error(request, exc.message)
            return redirect(report)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The report was refused; the job goes back to the technician."))
            return redirect(report.ticket)
    return _render_detail(request, report, refuse_form=form, status=400)


@require_POST
@login_required
def report_void(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    if not permissions.can_void_signoff(request.user, report):
        raise PermissionDenied
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            services.report_void(actor=request.user, report=report, reason=form.cleaned_data["reason"])
        except TicketError as exc:
            messages.error(request, exc.message)
            return redirect(report)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Signature voided; the requester is asked to sign again."))
            return redirect(report)
    return _render_detail(request, report, void_form=form, status=400)


def _document(request, pk, report_pk):
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    if not permissions.can_download_report(request.user, report):
        raise PermissionDenied
    signature = report_selectors.valid_signature(report)
    content = report_content(report)
    return report, {
        "ticket": report.ticket, "report": report, "content": content,
        "visits": _visit_objects(report), "signature": signature, "digest": report_digest(report),
        "signoffs": report_selectors.signoffs_for(report), "generated_at": timezone.now(),
    }


def _visit_objects(report):
    from tickets.report_content import visits_for

    return visits_for(report)


@require_safe
@login_required
def report_print(request, pk, report_pk):
    """The printable page (A4 print stylesheet)."""
    _report, context = _document(request, pk, report_pk)
    return render(request, "tickets/report_print.html", context)


@require_safe
@login_required
def report_pdf(request, pk, report_pk):
    """The PDF, drawn by ReportLab from our own data only (no URL is fetched)."""
    from tickets.report_pdf import render_report_pdf

    report, context = _document(request, pk, report_pk)
    data = render_report_pdf(context)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"{report.ticket.reference}-visit-{report.visit}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def report_photo(request, pk, report_pk, photo_pk, kind="image"):
    """A report photo, only for users who may read the report; never from a public URL."""
    report = report_selectors.report_get_for(request.user, pk, report_pk)
    photo = get_object_or_404(report.photos, pk=photo_pk)
    field = photo.thumbnail if kind == "thumb" else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing.") from None
    response = FileResponse(handle, content_type="image/jpeg" if kind == "thumb" else photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{field.name.rsplit("/", 1)[-1]}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
