"""The API token from the profile page: shown once, replaces the old one, revocable."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["admin", "engineer", "technician", "customer"])
def test_create_use_replace_and_revoke_a_token_from_the_profile(client_for, users, role):
    user = users[role]
    web = client_for(user)
    assert "Create a token" in web.get("/accounts/profile/").content.decode()
    page = web.post("/accounts/profile/api-token/", {"action": "create"})
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    key = Token.objects.get(user=user).key
    assert key in page.content.decode()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["email"] == user.email
    web.post("/accounts/profile/api-token/", {"action": "create"})
    assert api.get("/api/v1/me/").status_code == 401  # replaced: the old key stops working
    assert "Revoke the token" in web.get("/accounts/profile/").content.decode()
    response = web.post("/accounts/profile/api-token/", {"action": "revoke"})
    assert response.status_code == 302 and not Token.objects.filter(user=user).exists()


def test_token_page_needs_a_login_and_a_post(client_for, customer):
    assert client_for(None).post("/accounts/profile/api-token/", {"action": "create"}).status_code == 302
    assert client_for(customer).get("/accounts/profile/api-token/").status_code == 405
    assert not Token.objects.exists()
