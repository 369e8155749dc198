"""Messages to a user, shown in the portal and, when SMTP is configured, sent by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    RECORD_APPROVED = "record_approved", _("Record approved")
    RECORD_REJECTED = "record_rejected", _("Record rejected")
    BEHIND_PACE = "behind_pace", _("Behind pace on a pass line")
    RECORDS_APPROVED = "records_approved", _("Records approved together")
    GRADE_CHANGED = "grade_changed", _("Grade changed")
    SELF_CHECK_OVERDUE = "self_check_overdue", _("Scorecard self-check overdue")
    RESERVE_FOLLOW_UP_OVERDUE = "reserve_follow_up_overdue", _("Reserve cadre follow-up overdue")
    FOLLOW_UP_DUE = "follow_up_due", _("Training follow-up due")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Training follow-up overdue")


class Notification(models.Model):
    """One message. The text is rendered from ``kind`` and ``params`` when shown, in the reader's language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NotificationKind.choices)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"
