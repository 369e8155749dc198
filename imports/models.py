"""An import of a spreadsheet, kept with its result so the dry run, the progress bar and the outcome can be shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportKind(models.TextChoices):
    UNITS = "units", _("Units")
    OFFICIALS = "officials", _("Officials")
    ACTIVITIES = "activities", _("Activity records")


class ImportJob(models.Model):
    """One uploaded file and what became of it.

    ``errors`` lists the problems as ``{"row": n, "column": header, "message": text}`` (row 0 = the whole file);
    ``skipped_rows`` the rows left out as duplicates of what is already on record. Nothing is written unless
    every row is valid, so a job with errors created nothing.

    A background job is claimed by one worker, which beats ``heartbeat_at`` while it runs; the reconciliation
    starts again one pending too long (the broker refused it) or running with a silent heartbeat (its worker
    died), and fails one started ``IMPORT_MAX_ATTEMPTS`` times (``imports.services``).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        INVALID = "invalid", _("Problems found")
        FAILED = "failed", _("Failed")

    # The built-in kinds, or one another app registered (imports.registry): hence the room beyond the choices.
    kind = models.CharField(_("kind"), max_length=32, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Activity records only."))
    dry_run = models.BooleanField(_("dry run"), default=True)
    create_accounts = models.BooleanField(
        _("create accounts"), default=False, help_text=_("Officials only: an account for each official without one.")
    )
    # The once-downloadable workbook of the accounts' initial passwords (organisation.InitialPasswordSheet.token).
    password_sheet = models.CharField(max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, help_text=_("Percent done."))
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    errors = models.JSONField(_("problems found"), default=list, blank=True)
    skipped_rows = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=16, blank=True, help_text=_("Language of the problems' wording."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        default=timezone.now, help_text=_("Last sign of life: asked for, handed to the worker, started or running.")
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("How many times a worker started it."))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["heartbeat_at"],
                name="import_job_unfinished",
                condition=models.Q(status__in=["pending", "running"]),
            )
        ]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name} {self.status}"

    def get_kind_display(self) -> str:
        from .registry import kind_label

        return kind_label(self.kind)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.INVALID, self.Status.FAILED)
