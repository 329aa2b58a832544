from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.choices import CachedChoicesDisplay

# Letters (any script), spaces, hyphens and apostrophes; no digits.
name_validator = RegexValidator(
    r"^[^\W\d_]+(?:[ '’-][^\W\d_]+)*$",
    _("Use letters, spaces, hyphens and apostrophes only."),
)


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    ENGINEER = "engineer", _("Engineer")
    TECHNICIAN = "technician", _("Technician")
    CUSTOMER = "customer", _("Customer")


STAFF_ROLES = (Role.ADMIN, Role.ENGINEER, Role.TECHNICIAN)
FIELD_ROLES = (Role.ENGINEER, Role.TECHNICIAN)


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    # When set, members see every ticket raised by anyone in the organisation.
    members_see_all_tickets = models.BooleanField(_("members see each other's tickets"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("role", Role.CUSTOMER)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(role=Role.ADMIN, is_staff=True, is_superuser=True, email_confirmed_at=timezone.now())
        return self._create_user(email, password, **extra)


class User(CachedChoicesDisplay, AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=100, validators=[name_validator])
    last_name = models.CharField(_("last name"), max_length=100, validators=[name_validator])
    phone = PhoneNumberField(_("phone number"), blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CUSTOMER)
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Kept in step with the role: admins use the Django admin.
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="accounts_user_role_valid"
            ),
        ]
        indexes = [models.Index(fields=["role", "is_active"])]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_engineer(self) -> bool:
        return self.role == Role.ENGINEER

    @property
    def is_technician(self) -> bool:
        return self.role == Role.TECHNICIAN

    @property
    def is_customer(self) -> bool:
        return self.role == Role.CUSTOMER

    @property
    def is_field_staff(self) -> bool:
        return self.role in FIELD_ROLES

    @property
    def is_staff_member(self) -> bool:
        """Admins, engineers and technicians: people who see internal notes."""
        return self.role in STAFF_ROLES

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class AccountEvent(models.Model):
    """What happened to an account, who did it and when. Append-only, written by the services."""

    class Action(models.TextChoices):
        SIGNED_UP = "signed_up", _("signed up")
        CONFIRMED = "confirmed", _("confirmed the e-mail address")
        INVITED = "invited", _("invited")
        INVITATION_SENT_AGAIN = "invitation_sent_again", _("invitation sent again")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted the invitation")
        PASSWORD_RESET = "password_reset", _("reset the password")
        UPDATED = "updated", _("details changed")
        ROLE_CHANGED = "role_changed", _("role changed")
        DEACTIVATED = "deactivated", _("deactivated")
        REACTIVATED = "reactivated", _("reactivated")

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="account_events")
    actor = models.ForeignKey(User, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    old_value = models.CharField(_("before"), max_length=200, blank=True)
    new_value = models.CharField(_("after"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()}"
