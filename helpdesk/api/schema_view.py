"""The schema endpoint (apart from ``schema.py``, which DRF imports while drf-spectacular's views load)."""

from django.utils.translation import get_language
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response


class SchemaView(SpectacularAPIView):
    """The schema, built once per process, version and language (about 250 ms to build).

    It is served public (``SERVE_PUBLIC``): the same document for every caller, so it depends on
    the code alone and a deploy, which restarts the processes, is what changes it.
    """

    built: dict = {}

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, get_language(), self.serve_public)
        if key not in self.built:
            generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
            self.built[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=self.built[key],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
