from django.utils.translation import gettext_lazy as _
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from accounts.models import Role, User, name_validator


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
    organization = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "phone", "role", "organization", "time_zone"]
        read_only_fields = ["id", "email", "role", "organization"]

    def validate_time_zone(self, value):
        from accounts.forms import time_zone_choices

        if value and value not in {v for v, _label in time_zone_choices()}:
            raise serializers.ValidationError(_("Choose a valid time zone."))
        return value
