"""The profile page's API token: create (or replace) and revoke. The key is shown once, on the
response to the POST, never put in a message or a cookie."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services


@never_cache
@login_required
@require_POST
def api_token(request):
    if request.POST.get("action") == "revoke":
        if services.api_token_revoke(actor=request.user):
            messages.success(request, _("Your API token is revoked: scripts using it are refused from now on."))
        return redirect("accounts:profile")
    key = services.api_token_create(actor=request.user)
    return render(request, "accounts/api_token.html", {"token": key})
