from django.conf import settings


def fixdesk(request):
    """Values every template may use."""
    return {
        "FIXDESK_DEMO": settings.FIXDESK_DEMO,
        # The menu fragment's lifetime in the per-process "local" cache (templates/base.html): none
        # while developing, where templates change under a running server.
        "nav_cache_seconds": 0 if settings.DEBUG else 3600,
    }
