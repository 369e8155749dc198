"""The organisation directory: units in a hierarchy, officials, and who administers which unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT = "district", _("District")
    TOWN = "town", _("Town")
    DEPARTMENT = "department", _("City department")


class Rank(models.TextChoices):
    DIVISION = "division", _("County/division level")
    SECTION_CHIEF = "section_chief", _("Section chief")
    DEPUTY_SECTION = "deputy_section", _("Deputy section chief")
    OTHER = "other", _("Other")


class Unit(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Official(models.Model):
    """A cadre managed by the city party committee (市管干部)."""

    staff_no = models.CharField(_("staff number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="officials")
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices, default=Rank.OTHER)
    included_on = models.DateField(
        _("included among city-managed cadres on"),
        null=True,
        blank=True,
        help_text=_("Empty means long before any assessment year."),
    )
    retires_on = models.DateField(_("retirement date"), null=True, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="official",
    )

    class Meta:
        ordering = ["staff_no"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_no})"


class StudyAdministrator(models.Model):
    """A unit study administrator (单位学习管理员): enters and declares records for one unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("login"), on_delete=models.CASCADE, related_name="study_admin"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="study_admins")

    class Meta:
        verbose_name = _("unit study administrator")
        verbose_name_plural = _("unit study administrators")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"


class PasswordChangeRequired(models.Model):
    """The account's password was set by the training section (an initial password or a reset): until its owner
    changes it, every page sends them to the password change page (portal.middleware.ForcePasswordChangeMiddleware)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.CASCADE,
        related_name="password_change_required",
    )
    set_at = models.DateTimeField(_("password set at"), auto_now=True)

    class Meta:
        verbose_name = _("password change required")
        verbose_name_plural = _("password changes required")

    def __str__(self) -> str:
        return str(self.user)


class InitialPasswordSheet(models.Model):
    """The workbook of initial passwords made by a bulk account creation: kept only until its one download (then
    deleted), and only its maker may download it. Undownloaded sheets are deleted after a day
    (``organisation.services.discard_stale_password_sheets``)."""

    token = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    accounts = models.PositiveIntegerField(default=0)
    content = models.BinaryField()

    class Meta:
        verbose_name = _("initial password sheet")
        verbose_name_plural = _("initial password sheets")

    def __str__(self) -> str:
        return self.filename
