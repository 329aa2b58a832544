"""SLA policies and working calendars (imported at the end of ``tickets.models``)."""

from __future__ import annotations

from datetime import time
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEEKDAY_NAMES = {1: _("Mon"), 2: _("Tue"), 3: _("Wed"), 4: _("Thu"), 5: _("Fri"), 6: _("Sat"), 7: _("Sun")}


def validate_time_zone(value: str):
    if value not in available_timezones():
        raise ValidationError(_("Unknown time zone “%(tz)s” (use a name such as Europe/Berlin)."), params={"tz": value})


def validate_weekdays(value: str):
    if not value or any(c not in "1234567" for c in value) or len(set(value)) != len(value):
        raise ValidationError(_("List working days as digits 1 (Monday) to 7 (Sunday), e.g. 12345."))


class WorkingCalendar(models.Model):
    """Working days and hours, holidays and a time zone: the clock business-hours SLAs count on."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    weekdays = models.CharField(
        _("working days"), max_length=7, default="12345", validators=[validate_weekdays],
        help_text=_("Digits 1 (Monday) to 7 (Sunday): 12345 is Monday to Friday."),
    )
    day_start = models.TimeField(_("day starts"), default=time(8, 0))
    day_end = models.TimeField(_("day ends"), default=time(17, 0))

    class Meta:
        ordering = ["name"]
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        constraints = [
            models.CheckConstraint(condition=models.Q(day_end__gt=models.F("day_start")),
                                   name="tickets_calendar_day_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.day_start and self.day_end and self.day_end <= self.day_start:
            raise ValidationError({"day_end": _("The working day must end after it starts.")})

    @property
    def weekdays_display(self) -> str:
        return ", ".join(str(WEEKDAY_NAMES[int(c)]) for c in sorted(self.weekdays or ""))

    def hours(self):
        """The pure-arithmetic description (``tickets.business_hours.Hours``) with every holiday."""
        from tickets.business_hours import Hours

        return Hours(
            tz=self.time_zone, weekdays=frozenset(int(c) for c in self.weekdays), start=self.day_start,
            end=self.day_end, holidays=frozenset(self.holidays.values_list("date", flat=True)),
        )


class Holiday(models.Model):
    calendar = models.ForeignKey(WorkingCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="tickets_holiday_unique_day")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}".strip()


class SLAPolicy(models.Model):
    """Response and resolution targets for a priority, optionally narrowed to a category and/or a site.

    The most specific active policy wins: category and site, then category, then site, then the
    priority alone. Targets are counted on ``calendar`` (business hours), or around the clock
    when it is empty.
    """

    name = models.CharField(_("name"), max_length=100)
    priority = models.CharField(_("priority"), max_length=10, choices=[
        ("low", _("Low")), ("normal", _("Normal")), ("high", _("High")), ("urgent", _("Urgent")),
    ])
    category = models.ForeignKey("tickets.Category", verbose_name=_("category"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="sla_policies")
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="sla_policies")
    response_minutes = models.PositiveIntegerField(
        _("response target (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(525_600)],
        help_text=_("From reporting to assignment."))
    resolution_minutes = models.PositiveIntegerField(
        _("resolution target (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(2_628_000)],
        help_text=_("From reporting to resolution."))
    calendar = models.ForeignKey(WorkingCalendar, verbose_name=_("working calendar"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="policies",
                                 help_text=_("Empty: the clock runs around the clock."))
    level2_after_minutes = models.PositiveIntegerField(
        _("second escalation after (minutes)"), default=240, validators=[MinValueValidator(1)],
        help_text=_("A ticket still late this long after its first escalation is escalated again."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.CheckConstraint(condition=models.Q(resolution_minutes__gte=models.F("response_minutes")),
                                   name="tickets_sla_resolution_after_response"),
            # One active policy per (priority, category, site) combination; NULLs are spelled out
            # because a plain unique constraint treats NULLs as distinct.
            models.UniqueConstraint(fields=["priority", "category", "site"], name="tickets_sla_unique_both",
                                    condition=models.Q(active=True)),
            models.UniqueConstraint(fields=["priority", "category"], name="tickets_sla_unique_category",
                                    condition=models.Q(active=True, site__isnull=True)),
            models.UniqueConstraint(fields=["priority", "site"], name="tickets_sla_unique_site",
                                    condition=models.Q(active=True, category__isnull=True)),
            models.UniqueConstraint(fields=["priority"], name="tickets_sla_unique_priority",
                                    condition=models.Q(active=True, category__isnull=True, site__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.response_minutes and self.resolution_minutes and self.resolution_minutes < self.response_minutes:
            raise ValidationError({"resolution_minutes": _("Resolution cannot be due before the response.")})
        if self.active and self.priority:
            clash = SLAPolicy.objects.filter(active=True, priority=self.priority, category=self.category_id,
                                             site=self.site_id).exclude(pk=self.pk)
            if clash.exists():
                raise ValidationError(_("An active policy for this priority, category and site already exists."))

    @property
    def counts_business_hours(self) -> bool:
        return self.calendar_id is not None
