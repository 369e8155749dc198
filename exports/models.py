"""A report or rankings workbook built by a background job: what was asked, by whom, how far it got, the file."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("Year report")
        RANKINGS = "rankings", _("Rankings")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    year = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(
        "organisation.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the city."),
    )
    language = models.CharField(max_length=16, help_text=_("The language of the workbook's labels."))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    rows = models.PositiveIntegerField(default=0, help_text=_("Rows written so far."))
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text=_("Last sign of life of the build."))

    class Meta:
        indexes = [models.Index(fields=["kind", "year", "unit", "status"], name="export_same_parameters")]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.unit_id or 'city'} {self.status} {self.progress}%"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
