from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Site(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:site_detail", args=[self.pk])


class Location(models.Model):
    """A node of the location tree under a site: building > floor > room, any depth."""

    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="locations")
    parent = models.ForeignKey(
        "self", verbose_name=_("inside"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(_("name"), max_length=200)
    # Denormalised "HQ / Block B / Floor 2 / Room 204", kept by the services when the tree changes.
    path = models.CharField(_("path"), max_length=1000, editable=False, db_index=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["site", "parent", "name"], name="facilities_location_unique_name"),
        ]

    def __str__(self) -> str:
        return self.path or self.name

    def get_absolute_url(self) -> str:
        return reverse("facilities:location_detail", args=[self.pk])

    @property
    def depth_path(self) -> str:
        """The path below the site: "Block B / Floor 2 / Room 204"."""
        prefix = f"{self.site.name} / "
        return self.path[len(prefix):] if self.path.startswith(prefix) else self.path


class Manufacturer(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")

    def __str__(self) -> str:
        return self.name


class EquipmentModel(models.Model):
    manufacturer = models.ForeignKey(
        Manufacturer, verbose_name=_("manufacturer"), on_delete=models.PROTECT, related_name="models"
    )
    name = models.CharField(_("model name"), max_length=200)
    category = models.CharField(_("category"), max_length=100, blank=True)

    class Meta:
        ordering = ["manufacturer__name", "name"]
        verbose_name = _("equipment model")
        verbose_name_plural = _("equipment models")
        constraints = [
            models.UniqueConstraint(fields=["manufacturer", "name"], name="facilities_equipmentmodel_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.name}"


class Equipment(models.Model):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")
        RETIRED = "retired", _("Retired")

    asset_tag = models.CharField(_("asset tag"), max_length=64, unique=True)
    serial_number = models.CharField(_("serial number"), max_length=128, blank=True)
    model = models.ForeignKey(
        EquipmentModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="equipment"
    )
    site = models.ForeignKey(Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="equipment")
    location = models.ForeignKey(
        Location, verbose_name=_("location"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="equipment",
    )
    install_date = models.DateField(_("installed on"), null=True, blank=True)
    warranty_end = models.DateField(_("warranty ends"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="equipment/", blank=True)

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")

    def __str__(self) -> str:
        return f"{self.asset_tag} · {self.model}"

    def get_absolute_url(self) -> str:
        return reverse("facilities:equipment_detail", args=[self.pk])


class Vehicle(models.Model):
    name = models.CharField(_("name"), max_length=100)
    plate = models.CharField(_("plate"), max_length=20, unique=True)
    kind = models.CharField(_("type"), max_length=50, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats or capacity"), null=True, blank=True)
    home_site = models.ForeignKey(
        Site, verbose_name=_("home site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="vehicles"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self) -> str:
        return f"{self.name} ({self.plate})"


class Trade(models.Model):
    """A skill of the maintenance staff: electrical, plumbing, HVAC, IT, ..."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trade")
        verbose_name_plural = _("trades")

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """What facilities knows of an engineer or technician: trades and home site."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="staff_profile"
    )
    trades = models.ManyToManyField(Trade, verbose_name=_("trades"), blank=True, related_name="staff")
    home_site = models.ForeignKey(
        Site, verbose_name=_("home site"), null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )

    class Meta:
        verbose_name = _("maintenance staff profile")
        verbose_name_plural = _("maintenance staff profiles")

    def __str__(self) -> str:
        return str(self.user)
