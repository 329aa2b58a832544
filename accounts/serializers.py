from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from accounts.models import Organization, Role, User, name_validator


class TokenRequestSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"}, write_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text=_("Send it as `Authorization: Token <token>`."))


class MeSerializer(serializers.ModelSerializer):
    first_name = serializers.CharField(max_length=100, validators=[name_validator])
    last_name = serializers.CharField(max_length=100, validators=[name_validator])
    phone = PhoneNumberField(required=False, allow_blank=True,
                             help_text=_("E.164, e.g. +447911123456; required for engineers and technicians."))
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    organization = serializers.StringRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "role", "organization", "time_zone"]
        read_only_fields = ["id", "email", "role", "organization"]

    def validate_time_zone(self, value):
        from accounts.forms import time_zone_choices

        if value and value not in {v for v, _label in time_zone_choices()}:
            raise serializers.ValidationError(_("Choose a valid time zone."))
        return value


# --- sign-up and people management (the REST API) ---------------------------------------------

class SignupSerializer(serializers.Serializer):
    """Checked by the web's SignupForm (same password rules); the service does the rest."""

    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100, validators=[name_validator])
    last_name = serializers.CharField(max_length=100, validators=[name_validator])
    password = serializers.CharField(trim_whitespace=False, write_only=True, max_length=128,
                                     style={"input_type": "password"},
                                     help_text=_("At least 8 characters; not common, not only digits."))


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)


class OrganizationSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Organization
        fields = ["id", "name", "members_see_all_tickets", "member_count", "created_at"]
        read_only_fields = ["id", "member_count", "created_at"]
        extra_kwargs = {"name": {"validators": []}}  # unique case-insensitively: the service checks


class UserSerializer(serializers.ModelSerializer):
    """A person as an admin sees them. Role and active flag change through their own endpoints."""

    first_name = serializers.CharField(max_length=100, validators=[name_validator])
    last_name = serializers.CharField(max_length=100, validators=[name_validator])
    phone = PhoneNumberField(required=False, allow_blank=True,
                             help_text=_("E.164, e.g. +447911123456; required for engineers and technicians."))
    role = serializers.ChoiceField(choices=Role.choices, read_only=True)
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                      allow_null=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True, default=None,
                                              allow_null=True)
    email_confirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "role", "organization", "organization_name",
                  "time_zone", "is_active", "email_confirmed", "date_joined", "last_login"]
        read_only_fields = ["id", "email", "role", "is_active", "email_confirmed", "date_joined", "last_login"]

    def validate_time_zone(self, value):
        return MeSerializer.validate_time_zone(self, value)


class UserInviteSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100, validators=[name_validator])
    last_name = serializers.CharField(max_length=100, validators=[name_validator])
    role = serializers.ChoiceField(choices=Role.choices, default=Role.CUSTOMER)
    phone = PhoneNumberField(required=False, allow_blank=True,
                             help_text=_("E.164, e.g. +447911123456; required for engineers and technicians."))
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all(), required=False,
                                                      allow_null=True)


class UserFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=100, help_text=_("Name, e-mail or phone"))
    who = serializers.ChoiceField(required=False, choices=["customers", "field", "admins", *Role.values])
    status = serializers.ChoiceField(required=False, choices=["active", "inactive", "unconfirmed"])
    organization = serializers.RegexField(r"^(none|[0-9]{1,9})$", required=False,
                                          help_text=_("An organisation id, or `none`"))


class RoleChangeSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
