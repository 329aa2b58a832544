"""Thin views: parse the form, call one service or selector, render or redirect with a message.

Split by concern; every name stays importable as ``accounts.views.<name>`` (``accounts/urls.py``).
"""

from accounts.views._common import BACKEND, ErrorMessageMixin  # noqa: F401
from accounts.views.auth import (  # noqa: F401
    InviteAcceptView,
    LoginView,
    LogoutView,
    PasswordResetConfirmView,
    PasswordResetDoneView,
    PasswordResetView,
    confirm,
    demo_login,
    resend_confirmation,
    signup,
    signup_done,
)
from accounts.views.organizations import organization_edit, organizations  # noqa: F401
from accounts.views.people import (  # noqa: F401
    people,
    people_invite,
    person,
    person_active,
    person_resend_invitation,
    person_role,
)
from accounts.views.profile import (  # noqa: F401
    PasswordChangeView,
    api_token,
    email_change,
    email_change_confirm,
    profile,
)
