from django.conf import settings


def fixdesk(request):
    """Values every template may use."""
    return {"FIXDESK_DEMO": settings.FIXDESK_DEMO}
