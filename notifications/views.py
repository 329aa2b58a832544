"""Thin views: the bell, the notification centre, preferences, and messages."""

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from notifications import selectors, services
from notifications.forms import MessageForm
from notifications.models import Channel
from notifications.permissions import can_change_message, can_edit_preferences, can_message
from notifications.preferences import preference_grid

PAGE_SIZE = 20


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@require_safe
def bell(request):
    """The bell with the unread count; htmx polls it, so the count changes without a reload."""
    if not request.user.is_authenticated:
        # Session ended while the page was open: 286 tells htmx to stop polling (no login page in the nav).
        return HttpResponse(status=286)
    return render(request, "notifications/includes/bell.html", {
        "unread": selectors.unread_count(request.user),
        "unread_messages": selectors.unread_messages_count(request.user),
        "poll_seconds": settings.NOTIFICATIONS_POLL_SECONDS,
    })


@require_safe
@login_required
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.notifications_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {
        "page_obj": page, "unread_only": unread_only, "unread": selectors.unread_count(request.user),
        "querystring_base": "unread=1" if unread_only else "",
    })


@require_POST
@login_required
def notification_open(request, pk):
    """Mark read and go to what it is about (POST: a GET changes nothing, docs/security.md)."""
    notification = selectors.notification_get_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    return redirect(notification.url or reverse("notifications:list"))


@require_POST
@login_required
def notification_read(request, pk):
    notification = selectors.notification_get_for(request.user, pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        return render(request, "notifications/includes/notification_item.html", {"n": notification})
    return redirect(_safe_next(request, reverse("notifications:list")))


@require_POST
@login_required
def notification_read_all(request):
    count = services.notification_mark_all_read(actor=request.user)
    flash.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return redirect(_safe_next(request, reverse("notifications:list")))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def preferences(request, user_id=None):
    """Each person's settings; an admin reaches anyone's (others get a 404)."""
    target = request.user if user_id is None else get_object_or_404(User, pk=user_id)
    if not can_edit_preferences(request.user, target):
        raise Http404
    if request.method == "GET" and request.user.is_admin and request.GET.get("email"):
        other = User.objects.filter(email__iexact=request.GET["email"].strip()).first()
        if other is not None:
            return redirect("notifications:user_preferences", user_id=other.pk)
        flash.error(request, _("Nobody has that e-mail address."))
    grid = preference_grid(target)
    if request.method == "POST":
        choices = {
            (row["event"], cell["channel"]): cell["name"] in request.POST
            for row in grid for cell in row["cells"] if cell["offered"]
        }
        try:
            services.preferences_set(actor=request.user, user=target, choices=choices)
        except (PermissionDenied, ValidationError):
            raise Http404 from None
        flash.success(request, _("Notification settings saved."))
        return redirect(request.path)
    return render(request, "notifications/preferences.html", {
        "target": target, "grid": grid, "channels": list(Channel), "own": target.pk == request.user.pk,
    })


@require_safe
@login_required
def inbox(request):
    page = Paginator(selectors.conversations_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    people = selectors.people_with_last_message(request.user, [row["other"] for row in page])
    rows = [{**row, "person": people.get(row["other"])} for row in page]
    return render(request, "notifications/inbox.html", {"page_obj": page, "rows": rows})


@require_safe
@login_required
def contacts(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.contacts_for(request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/contacts.html", {
        "page_obj": page, "q": search, "querystring_base": f"q={search}" if search else "",
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def conversation(request, user_id):
    other = selectors.conversation_partner_get(request.user, user_id)
    may_write = can_message(request.user, other)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.message_send(actor=request.user, recipient=other, body=form.cleaned_data["body"])
            except ValidationError as exc:
                form.add_error("body", exc.messages[0])
            else:
                services.messages_mark_read(actor=request.user, other=other)  # answering them is reading them
                return redirect(reverse("notifications:conversation", args=[other.pk]) + "#latest")
    thread = selectors.conversation_between(request.user, other)
    paginator = Paginator(thread, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)  # latest page first
    return render(request, "notifications/conversation.html", {
        "other": other, "page_obj": page, "form": form, "may_write": may_write,
        "editable": {m.pk for m in page if can_change_message(request.user, m)},
        "unread": any(m.recipient_id == request.user.pk and m.read_at is None for m in page),
    })


@require_POST
@login_required
def conversation_read(request, user_id):
    """Mark what ``user_id`` wrote to the caller read (POST: viewing a conversation changes nothing).

    The inbox opens conversations through this; on the conversation page htmx posts it on load,
    and without JavaScript the page shows the button."""
    other = selectors.conversation_partner_get(request.user, user_id)
    services.messages_mark_read(actor=request.user, other=other)
    if request.htmx:
        return HttpResponse("")  # the form swaps itself out
    return redirect(_safe_next(request, reverse("notifications:conversation", args=[other.pk]) + "#latest"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def message_edit(request, pk):
    message = selectors.message_get_own(request.user, pk)
    back = reverse("notifications:conversation", args=[message.recipient_id])
    if not can_change_message(request.user, message):
        flash.error(request, _("Messages can only be changed shortly after they are sent."))
        return redirect(back)
    form = MessageForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.message_edit(actor=request.user, message=message, body=form.cleaned_data["body"])
        except PermissionDenied:
            flash.error(request, _("Messages can only be changed shortly after they are sent."))
            return redirect(back)
        return redirect(back)
    return render(request, "notifications/message_edit.html", {"form": form, "message": message, "back": back})


@require_POST
@login_required
def message_delete(request, pk):
    message = selectors.message_get_own(request.user, pk)
    back = reverse("notifications:conversation", args=[message.recipient_id])
    try:
        services.message_delete(actor=request.user, message=message)
    except PermissionDenied:
        flash.error(request, _("Messages can only be deleted shortly after they are sent."))
    else:
        flash.success(request, _("Message deleted."))
    return redirect(back)
