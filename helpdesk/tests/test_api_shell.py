import pytest

pytestmark = pytest.mark.django_db


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_interactive_docs_use_packaged_assets_not_a_cdn(client):
    html = client.get("/api/docs/").content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    assert "cdn" not in html.lower()


def test_unknown_api_route_is_404(client_for, admin):
    assert client_for(admin).get("/api/v1/no-such-thing/").status_code == 404


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        ("validation", 400, "invalid"),
        ("conflict", 409, "conflict"),
        ("http404", 404, "not_found"),
        ("denied", 403, "permission_denied"),
    ],
)
def test_errors_share_one_json_shape(exc, status, code):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404
    from rest_framework.exceptions import ValidationError

    from helpdesk.api.errors import Conflict, exception_handler

    raised = {
        "validation": ValidationError({"title": ["This field is required."]}),
        "conflict": Conflict("Ticket FD-000001 changed meanwhile."),
        "http404": Http404(),
        "denied": PermissionDenied(),
    }[exc]
    response = exception_handler(raised, {})
    assert response.status_code == status
    assert response.data["status"] == status
    assert response.data["code"] == code
    assert response.data["detail"]
    if exc == "validation":
        assert response.data["errors"] == {"title": ["This field is required."]}
