"""The API's contract as a whole: the schema declares every error, unknown paths answer in JSON."""

import pytest
from rest_framework.test import APIClient

from tickets import workflow

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/schema/?format=json").json()


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_operation_declares_the_error_responses(openapi):
    for path, method, operation in _operations(openapi):
        codes = set(operation["responses"])
        assert {"400", "401", "403", "404", "429"} <= codes, (method, path, codes)
        assert any(code.startswith("2") for code in codes), (method, path)
        if method in ("post", "patch"):
            assert {"413", "415"} <= codes, (method, path)
        error = operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"]
        assert error == "#/components/schemas/Error"


def test_state_changes_declare_409(openapi):
    paths = openapi["paths"]
    for action in workflow.ACTIONS:
        assert "409" in paths[f"/api/v1/tickets/{{id}}/actions/{action}/"]["post"]["responses"]
    assert "409" in paths["/api/v1/tickets/{id}/"]["patch"]["responses"]
    assert "409" in paths["/api/v1/locations/{id}/"]["delete"]["responses"]


def test_every_operation_but_sign_in_and_sign_up_needs_credentials(openapi):
    public = {("/api/v1/auth/token/", "post"), ("/api/v1/auth/signup/", "post"), ("/api/v1/auth/login/", "post")}
    for path, method, operation in _operations(openapi):
        if (path, method) not in public:
            assert operation.get("security") and {} not in operation["security"], (method, path)


def test_phone_numbers_and_formats_are_described(openapi):
    schemas = openapi["components"]["schemas"]
    assert "+44" in schemas["Ticket"]["properties"]["contact_phone"]["description"]
    assert schemas["Ticket"]["properties"]["created_at"]["format"] == "date-time"
    assert schemas["Ticket"]["properties"]["status"]["allOf"][0]["$ref"].endswith("TicketStatusEnum")


@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/v1/tickets/abc/", "/api/v1/sites/i%C3%97%0A/",
                                  "/api/v2/tickets/"])
def test_unknown_paths_under_api_are_json_404s(client_for, admin, path):
    response = client_for(admin).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_unknown_paths_are_json_404s_for_writes_too(admin, wsgi_keeps_connection):
    from rest_framework.authtoken.models import Token
    from werkzeug.test import Client

    from helpdesk.wsgi import application

    token = Token.objects.create(user=admin)
    response = Client(application).post("/api/v1/tickets/null/actions/take/",
                                        headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 404 and response.headers["Content-Type"] == "application/json"


def test_wrong_method_is_a_json_405(client_for, admin):
    response = client_for(admin).put("/api/v1/tickets/1/", {}, content_type="application/json")
    assert response.status_code == 405 and response.json()["status"] == 405


def test_the_served_schema_is_built_once_and_equals_a_fresh_build(db):
    """The schema view keeps what it built; what it serves is what the code describes now."""
    from drf_spectacular.generators import SchemaGenerator

    from helpdesk.api.schema_view import SchemaView

    SchemaView.built.clear()
    first = APIClient().get("/api/schema/?format=json")
    assert first.status_code == 200 and len(SchemaView.built) == 1
    kept = next(iter(SchemaView.built.values()))
    second = APIClient().get("/api/schema/?format=json")
    assert next(iter(SchemaView.built.values())) is kept
    assert second.json() == first.json()
    fresh = SchemaGenerator().get_schema(request=None, public=True)
    assert first.json()["paths"].keys() == fresh["paths"].keys()
    assert 'filename="Fixdesk API.json"' in second["Content-Disposition"]
