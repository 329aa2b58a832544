"""Accounts in the REST API: get a token by e-mail and password (throttled, django-axes lock-out),
drop it again, and read or change one's own profile."""

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer


class TokenView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    def get_permissions(self):
        # Anyone may ask for a token; only its holder drops it.
        return [IsAuthenticated()] if self.request and self.request.method == "DELETE" else super().get_permissions()

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer}, auth=[])
    def post(self, request):
        """Exchange e-mail and password for an API token (the same token on every call)."""
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(request._request, username=data.validated_data["email"],
                            password=data.validated_data["password"])
        if getattr(request._request, "axes_locked_out", False):
            raise exceptions.Throttled(detail="Too many failed log-ins: this account or address is locked for now.")
        if user is None:
            raise exceptions.AuthenticationFailed("E-mail and password do not match an active, confirmed account.")
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Drop the caller's token (log out of the API)."""
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        """The caller's own profile."""
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses={200: MeSerializer})
    def patch(self, request):
        """Change one's own name, phone number or time zone."""
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {"first_name": request.user.first_name, "last_name": request.user.last_name,
                  "phone": request.user.phone, "time_zone": request.user.time_zone, **serializer.validated_data}
        try:
            user = services.user_update(actor=request.user, user=request.user, **values)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) \
                from exc
        return Response(MeSerializer(user).data)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("me/", MeView.as_view(), name="me"),
]


# --- sign-up and people management ---------------------------------------------------------------
# Appended by the API branch: the same forms' rules, services and permissions as the web pages.

from django.core.exceptions import ValidationError as _DjangoValidationError  # noqa: E402
from drf_spectacular.utils import extend_schema_view  # noqa: E402
from rest_framework import mixins, permissions, viewsets  # noqa: E402
from rest_framework.decorators import action  # noqa: E402

from accounts import permissions as rules  # noqa: E402
from accounts import selectors  # noqa: E402
from accounts.forms import SignupForm  # noqa: E402
from accounts.serializers import (  # noqa: E402
    DetailSerializer,
    OrganizationSerializer,
    RoleChangeSerializer,
    SignupSerializer,
    UserFilterSerializer,
    UserInviteSerializer,
    UserSerializer,
)
from accounts.throttle import mail_form_allowed  # noqa: E402
from helpdesk.api.errors import Conflict  # noqa: E402
from helpdesk.api.schema import CONFLICT  # noqa: E402

SIGNUP_DONE = "If this address can be used, a confirmation e-mail is on its way: follow its link to log in."


class SignupView(APIView):
    permission_classes = [AllowAny]
    throttle_scope = "auth"

    @extend_schema(request=SignupSerializer, responses={202: DetailSerializer}, auth=[])
    def post(self, request):
        """Sign up as a customer: the same rules and confirmation e-mail as the web (no address is revealed)."""
        data = SignupSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = SignupForm(data.validated_data)
        if not form.is_valid():
            raise exceptions.ValidationError({("non_field_errors" if k == "__all__" else k): [e["message"] for e in v]
                                              for k, v in form.errors.get_json_data().items()})
        if not mail_form_allowed(request._request, "signup", form.cleaned_data["email"]):
            raise exceptions.Throttled(detail="Too many sign-ups from here. Please wait an hour and try again.")
        services.user_signup(**form.cleaned_data)
        return Response({"detail": SIGNUP_DONE}, status=status.HTTP_202_ACCEPTED)


class PeoplePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return rules.can_manage_people(request.user)


def _conflict(fn, **kwargs):
    """A refusal that depends on the person's current state (last admin, ...) is a 409."""
    try:
        return fn(**kwargs)
    except _DjangoValidationError as exc:
        raise Conflict(" ".join(exc.messages)) from None


@extend_schema_view(
    list=extend_schema(summary="People (admins): search and filter", parameters=[UserFilterSerializer]),
    retrieve=extend_schema(summary="One person (admins)"),
    create=extend_schema(summary="Invite somebody (admins): an e-mail invitation, no password chosen by you",
                         request=UserInviteSerializer, responses={201: UserSerializer}),
    partial_update=extend_schema(summary="Change a person's details (admins); role and active flag are ignored"),
)
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, PeoplePermission]
    serializer_class = UserSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if self.action != "list":
            return selectors.users_visible_to(self.request.user)
        query = UserFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        return selectors.user_list(actor=self.request.user, query=filters.pop("q", ""), **filters)

    def get_object(self):
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise exceptions.NotFound()
        return selectors.user_get_for(actor=self.request.user, pk=int(pk))

    def _out(self, user, code=status.HTTP_200_OK):
        return Response(UserSerializer(selectors.user_get_for(actor=self.request.user, pk=user.pk)).data,
                        status=code)

    def create(self, request):
        data = UserInviteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_invite(actor=request.user, **data.validated_data)
        return self._out(user, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = UserSerializer(target, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {"first_name": target.first_name, "last_name": target.last_name, "phone": target.phone,
                  "time_zone": target.time_zone, "organization": target.organization, **data.validated_data}
        user = services.user_update(actor=request.user, user=target, **values)
        return self._out(user)

    @extend_schema(summary="Give a person another role (never your own; never the last admin)",
                   request=RoleChangeSerializer, responses={200: UserSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def role(self, request, pk=None):
        target = self.get_object()
        data = RoleChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(_conflict(services.user_change_role, actor=request.user, user=target,
                                   role=data.validated_data["role"]))

    @extend_schema(summary="Deactivate a person and end their sessions and tokens", request=None,
                   responses={200: UserSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        target = self.get_object()
        if target.pk == request.user.pk:
            raise exceptions.PermissionDenied("You cannot deactivate yourself.")
        if not rules.can_deactivate(request.user, target):
            raise Conflict("This account is already deactivated.")
        return self._out(_conflict(services.user_deactivate, actor=request.user, user=target))

    @extend_schema(summary="Let a deactivated person log in again", request=None,
                   responses={200: UserSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        target = self.get_object()
        if not rules.can_reactivate(request.user, target):
            raise Conflict("This account is active.")
        return self._out(services.user_reactivate(actor=request.user, user=target))

    @extend_schema(summary="E-mail a fresh invitation to an account not taken up yet", request=None,
                   responses={202: DetailSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="resend-invitation")
    def resend_invitation(self, request, pk=None):
        target = self.get_object()
        if not rules.can_resend_invitation(request.user, target):
            raise Conflict("This account does not need an invitation.")
        services.user_resend_invitation(actor=request.user, user=target)
        return Response({"detail": f"A new invitation is on its way to {target.email}."},
                        status=status.HTTP_202_ACCEPTED)


class OrganizationPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        return rules.can_manage_organizations(request.user)


@extend_schema_view(list=extend_schema(summary="Organisations with member counts (admins)"),
                    create=extend_schema(summary="Add an organisation (admins)"),
                    partial_update=extend_schema(summary="Rename an organisation or change its ticket sharing"))
class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated, OrganizationPermission]
    serializer_class = OrganizationSerializer
    lookup_value_regex = "[0-9]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.organization_list(query=self.request.query_params.get("q", "")[:200])

    def create(self, request):
        data = OrganizationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        org = services.organization_create(actor=request.user, **data.validated_data)
        return Response(OrganizationSerializer(self.get_queryset().get(pk=org.pk)).data,
                        status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        org = self.get_object()
        data = OrganizationSerializer(org, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = {"name": org.name, "members_see_all_tickets": org.members_see_all_tickets, **data.validated_data}
        services.organization_update(actor=request.user, organization=org, **values)
        return Response(OrganizationSerializer(self.get_queryset().get(pk=org.pk)).data)


def register(router) -> None:
    router.register("users", UserViewSet, basename="user")
    router.register("organizations", OrganizationViewSet, basename="organization")


urlpatterns.append(path("auth/signup/", SignupView.as_view(), name="auth-signup"))


# --- session log-in and log-out for the browser (scripts use auth/token/) ------------------------

from django.contrib.auth import login as _login  # noqa: E402
from django.contrib.auth import logout as _logout  # noqa: E402
from rest_framework.authentication import CSRFCheck, TokenAuthentication  # noqa: E402

from accounts.forms import EmailAuthenticationForm  # noqa: E402


def _enforce_csrf(request) -> None:
    """The web log-in form's CSRF protection, also for an anonymous caller (no log-in CSRF)."""
    check = CSRFCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise exceptions.PermissionDenied(f"CSRF Failed: {reason}")


class LoginView(APIView):
    permission_classes = [AllowAny]
    # The session is started here, not read; the token class only names the scheme of a 401 (WWW-Authenticate).
    authentication_classes = [TokenAuthentication]
    throttle_scope = "auth"

    @extend_schema(request=TokenRequestSerializer, responses={200: MeSerializer}, auth=[],
                   summary="Log in with a session cookie (browsers; send the CSRF token)")
    def post(self, request):
        """The web log-in form's rules: e-mail and password, confirmed and active accounts only, django-axes
        counts failures (429 when locked out). Starts a session; scripts use `auth/token/` instead."""
        _enforce_csrf(request._request)
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = EmailAuthenticationForm(request._request, data={"username": data.validated_data["email"],
                                                               "password": data.validated_data["password"]})
        valid = form.is_valid()
        if getattr(request._request, "axes_locked_out", False):
            raise exceptions.Throttled(detail="Too many failed log-ins: this account or address is locked for now.")
        if not valid:
            codes = {e.code for errors in form.errors.as_data().values() for e in errors}
            if "unconfirmed" in codes:
                raise exceptions.AuthenticationFailed("Your e-mail address is not confirmed yet: open the link we "
                                                      "sent you.")
            raise exceptions.AuthenticationFailed("E-mail and password do not match an active, confirmed account.")
        _login(request._request, form.get_user())
        return Response(MeSerializer(form.get_user()).data)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Log out: end the session")
    def post(self, request):
        """End the caller's session (the API token, if any, stays: `DELETE auth/token/` revokes it)."""
        _logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns += [
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
]
