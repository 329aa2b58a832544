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
