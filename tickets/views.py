"""Ticket pages. Thin: parse with a form, call one selector or service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from facilities.models import Equipment, Location, Site
from tickets import permissions, selectors, services, workflow
from tickets.errors import StaleTicket, TicketError
from tickets.forms import ActionForm, BulkForm, CommentForm, FilterForm, PhotoForm, TicketForm
from tickets.models import Macro
from tickets.pagination import KEYSET_FROM_PAGE, CappedPaginator, InvalidCursor, encode_cursor, keyset_page
from tickets.presentation import with_urls

PER_PAGE = 25
JOB_CARD_ACTIONS = ("start", "resume")  # the buttons of a job card (ticket_jobs.html)


def _paginate(request, qs):
    """Numbered pages for the first ones; ``?cursor=`` (the "Next" link from page
    KEYSET_FROM_PAGE on, and "Previous" from there) reads by position at the same cost however
    deep. A cursor that is not ours shows the first page."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("cursor", None)
    token = request.GET.get("cursor")
    if token is not None:
        try:
            return keyset_page(qs, PER_PAGE, token), params.urlencode()
        except InvalidCursor:
            return keyset_page(qs, PER_PAGE, None), params.urlencode()
    page = CappedPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    if page.number >= KEYSET_FROM_PAGE and page.has_next():
        page.object_list = list(page.object_list)
        page.next_cursor = encode_cursor(page.object_list[-1], qs) if page.object_list else None
    return page, params.urlencode()


def _apply_errors(form, exc: ValidationError):
    """Put a service's ValidationError on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _picker_urls() -> dict:
    """The facilities htmx pickers, when that app provides them (the form works without them)."""
    urls = {}
    for key, name in (("locations", "facilities:pick_locations"), ("equipment", "facilities:pick_equipment")):
        try:
            urls[key] = reverse(name)
        except NoReverseMatch:
            urls[key] = ""
    return urls


# Lists ------------------------------------------------------------------------------------

@require_safe
@login_required
def ticket_list(request):
    """Tickets the user may see; for a customer, "My tickets"."""
    form = FilterForm(request.GET or None)
    filters = form.filters()
    qs = selectors.ticket_list(user=request.user, filters=filters, sort=filters.get("sort", ""))
    page, querystring = _paginate(request, selectors.ticket_rows_only(qs))
    page.object_list = with_urls(page.object_list)
    title = _("My tickets") if request.user.role == "customer" else _("Tickets")
    return render(request, "tickets/ticket_list.html", {
        "page_obj": page, "form": form, "querystring_base": querystring, "title": title,
        "current_status": filters.get("status", ""), "can_create": permissions.can_create(request.user),
    })


@require_safe
@login_required
def queue(request):
    """Admin and engineer triage: filters, search, allow-listed sorting, bulk actions for admins."""
    if not permissions.can_triage(request.user):
        raise PermissionDenied
    params = request.GET.copy()
    params.setdefault("status", "open")
    form = FilterForm(params, queue=True)
    filters = form.filters()
    qs = selectors.ticket_list(user=request.user, filters=filters, sort=filters.get("sort", ""))
    page, querystring = _paginate(request, selectors.ticket_rows_only(qs))
    page.object_list = with_urls(page.object_list)
    bulk = BulkForm() if permissions.can_bulk_edit(request.user) else None
    return render(request, "tickets/ticket_queue.html", {
        "page_obj": page, "form": form, "querystring_base": querystring, "bulk_form": bulk,
        "current_status": filters.get("status", ""),
    })


@require_POST
@login_required
def queue_bulk(request):
    """Apply one bulk action to the selected tickets; every refusal is reported, none is silent."""
    if not permissions.can_bulk_edit(request.user):
        raise PermissionDenied
    ids = [int(x) for x in request.POST.getlist("tickets") if x.isdigit()]
    visible = {t.pk: t for t in selectors.tickets_visible_to(request.user).filter(pk__in=ids)}
    form = BulkForm(request.POST, ticket_ids=list(visible))
    back = _next_url(request, reverse("tickets:queue"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    done, failed = services.tickets_bulk_transition(
        actor=request.user, tickets=[visible[pk] for pk in data["tickets"]], action=data["action"],
        assignee=data.get("assignee"), comment=data.get("comment", ""),
    )
    if done:
        messages.success(request, _("%(n)s ticket(s) updated.") % {"n": len(done)})
    for ticket, why in failed:
        messages.error(request, f"{ticket.reference}: {why}")
    return redirect(back)


@require_safe
@login_required
def jobs(request):
    """The user's open jobs, newest assignment first (phone first)."""
    if not permissions.can_have_jobs(request.user):
        raise PermissionDenied
    # The cards name the equipment ("tag · manufacturer model"): loaded with the page, not per card.
    # Nor are the unshown description and the people's phone numbers (parsed per row) loaded.
    page, querystring = _paginate(request, selectors.jobs_for(request.user).select_related(
        "equipment__model__manufacturer").defer("description", "requester__phone", "assignee__phone"))
    page.object_list = with_urls(page.object_list)
    for ticket in page.object_list:
        # Only the one-tap buttons the cards show; the rest is on the ticket page.
        ticket.actions = workflow.available_actions(ticket, request.user, only=JOB_CARD_ACTIONS)
    return render(request, "tickets/ticket_jobs.html", {"page_obj": page, "querystring_base": querystring})


# Create / edit / delete -------------------------------------------------------------------

def _prefill(request) -> dict:
    """``?site=&location=&equipment=`` (QR labels link here); unknown ids are ignored."""
    initial = {}
    get = request.GET

    def pick(model, key):
        value = get.get(key, "")
        return model.objects.filter(pk=value).first() if value.isdigit() else None

    equipment, location, site = pick(Equipment, "equipment"), pick(Location, "location"), pick(Site, "site")
    if equipment:
        site = equipment.site
        location = location or equipment.location
        initial["equipment"] = equipment
    if location and (site is None or location.site_id == site.pk):
        site = site or location.site
        initial["location"] = location
    if site:
        initial["site"] = site
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ticket_create(request):
    if not permissions.can_create(request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = TicketForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket = services.ticket_create(actor=request.user, photos=form.cleaned_data["photos"],
                                                **form.service_kwargs())
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Ticket %(ref)s reported. We will keep you posted.")
                                 % {"ref": ticket.reference})
                return redirect(ticket)
    else:
        form = TicketForm(initial=_prefill(request))
    return render(request, "tickets/ticket_form.html", {"form": form, "pickers": _picker_urls(), "ticket": None})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ticket_edit(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    if not permissions.can_edit(request.user, ticket):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        form = TicketForm(request.POST, with_photos=False)
        if form.is_valid():
            try:
                services.ticket_update(actor=request.user, ticket=ticket, version=form.cleaned_data["version"],
                                       **form.service_kwargs())
            except StaleTicket as exc:
                conflict = exc
                ticket.refresh_from_db()
                # Keep what the user typed; the next save is made knowing what changed.
                data = request.POST.copy()
                data["version"] = ticket.version
                form = TicketForm(data, with_photos=False)
                form.is_valid()
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Ticket updated."))
                return redirect(ticket)
    else:
        initial = {f: getattr(ticket, f) for f in ("title", "description", "category", "priority", "site",
                                                    "location", "equipment", "affected_item", "contact_phone")}
        initial["version"] = ticket.version
        form = TicketForm(initial=initial, with_photos=False)
    return render(request, "tickets/ticket_form.html", {
        "form": form, "ticket": ticket, "pickers": _picker_urls(), "conflict": conflict,
    }, status=409 if conflict else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def ticket_delete(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    if not permissions.can_delete(request.user, ticket):
        raise PermissionDenied
    if request.method == "POST":
        services.ticket_delete(actor=request.user, ticket=ticket)
        messages.success(request, _("Ticket %(ref)s deleted. It can be restored from the admin.")
                         % {"ref": ticket.reference})
        return redirect("tickets:queue")
    return render(request, "tickets/ticket_confirm_delete.html", {"ticket": ticket})


# The ticket page --------------------------------------------------------------------------

def _render_detail(request, ticket, *, action_forms=None, comment_form=None, status=200):
    user = request.user
    staff = permissions.can_see_internal(user)
    macros = list(selectors.macros_for(user)) if permissions.can_use_macros(user) else []
    if comment_form is None:
        initial = {"version": ticket.version}
        macro_id = request.GET.get("macro", "")
        macro = next((m for m in macros if str(m.pk) == macro_id), None)
        if macro:
            initial.update(body=services.macro_render(macro=macro, ticket=ticket, actor=user), macro=macro.pk)
        comment_form = CommentForm(initial=initial, staff=staff)
    forms_by_action = action_forms or {}
    actions = []
    for transition in workflow.available_actions(ticket, user):
        form = forms_by_action.get(transition.action) or ActionForm(
            ticket=ticket, transition=transition, initial={"version": ticket.version})
        actions.append({"transition": transition, "form": form})
    applied_macro = None
    macro_value = comment_form["macro"].value() if "macro" in comment_form.fields else None
    if macro_value:
        applied_macro = next((m for m in macros if str(m.pk) == str(macro_value)), None)
    return render(request, "tickets/ticket_detail.html", {
        "ticket": ticket, "timeline": selectors.timeline_page(user, ticket),
        "photos": list(selectors.photos_for(user, ticket)), "actions": actions, "comment_form": comment_form,
        "photo_form": PhotoForm() if permissions.can_add_photo(user, ticket) else None,
        "can_edit": permissions.can_edit(user, ticket), "can_delete": permissions.can_delete(user, ticket),
        "staff": staff, "macros": macros, "applied_macro": applied_macro,
        "open_action": next(iter(forms_by_action), ""),
    }, status=status)


@require_safe
@login_required
def ticket_detail(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    return _render_detail(request, ticket)


@require_safe
@login_required
def ticket_timeline(request, pk):
    """A page of the ticket's timeline: the entries before ``?before=`` (the newest without it).

    The "Show earlier activity" link of the ticket page lands here; through htmx it gets only the
    entries, which take the link's place. A cursor that is not ours shows the newest entries.
    """
    ticket = selectors.ticket_get_for(request.user, pk)
    before = request.GET.get("before", "")
    try:
        timeline = selectors.timeline_page(request.user, ticket, before=before)
    except selectors.InvalidTimelineCursor:
        before, timeline = "", selectors.timeline_page(request.user, ticket)
    context = {"ticket": ticket, "timeline": timeline, "before": before}
    if request.htmx and before:
        response = render(request, "tickets/includes/timeline_entries.html",
                          {**context, "focus_first": True, "announce": True})
    else:
        response = render(request, "tickets/ticket_timeline.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@login_required
def ticket_action(request, pk, action):
    ticket = selectors.ticket_get_for(request.user, pk)
    transition = workflow.TRANSITIONS.get(action)
    if transition is None:
        raise Http404("No such action.")
    form = ActionForm(request.POST, ticket=ticket, transition=transition)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.ticket_transition(
                actor=request.user, ticket=ticket, action=action, comment=data.get("comment", ""),
                version=data.get("version"), assignee=data.get("assignee"), vehicle=data.get("vehicle"),
            )
        except TicketError as exc:
            messages.error(request, exc.message)
            ticket.refresh_from_db()
            return _render_detail(request, ticket, action_forms={action: form}, status=409)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Done: %(label)s.") % {"label": transition.label})
            return redirect(_next_url(request, ticket.get_absolute_url()))
    return _render_detail(request, ticket, action_forms={action: form}, status=400)


@require_POST
@login_required
def comment_create(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    staff = permissions.can_see_internal(request.user)
    form = CommentForm(request.POST, staff=staff)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("macro"):
                macro = get_object_or_404(Macro, pk=data["macro"])
                services.macro_apply(actor=request.user, ticket=ticket, macro=macro, body=data["body"],
                                     is_internal=data.get("is_internal", False), version=data.get("version"))
            else:
                services.comment_add(actor=request.user, ticket=ticket, body=data["body"],
                                     is_internal=data.get("is_internal", False))
        except TicketError as exc:
            messages.error(request, exc.message)
            ticket.refresh_from_db()
            return _render_detail(request, ticket, comment_form=form, status=409)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Comment added."))
            return redirect(ticket.get_absolute_url() + "#timeline")
    return _render_detail(request, ticket, comment_form=form, status=400)


@require_POST
@login_required
def photo_upload(request, pk):
    ticket = selectors.ticket_get_for(request.user, pk)
    if not permissions.can_add_photo(request.user, ticket):
        raise PermissionDenied
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        added = 0
        for upload in form.cleaned_data["photos"]:
            try:
                services.photo_add(actor=request.user, ticket=ticket, upload=upload)
                added += 1
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        if added:
            messages.success(request, _("%(n)s photo(s) added.") % {"n": added})
    else:
        for error in form.errors.get("photos", []):
            messages.error(request, error)
    return redirect(ticket.get_absolute_url() + "#photos")


@require_safe
@login_required
def photo_file(request, pk, photo_pk, kind="image"):
    """A ticket's photo, only for users who may see the ticket; never from a public URL."""
    ticket = selectors.ticket_get_for(request.user, pk)
    photo = get_object_or_404(ticket.photos, pk=photo_pk)
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


