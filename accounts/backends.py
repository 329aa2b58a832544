from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in by e-mail, case-insensitively; unconfirmed or inactive accounts cannot log in."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.email_confirmed_at is not None


def axes_username(request, credentials=None) -> str:
    """The login name django-axes counts failures against: the e-mail, lower-cased and trimmed,
    so "Bob@X.org" and "bob@x.org" share one failure count."""
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or source.get("email") or "").strip().lower()
