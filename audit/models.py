from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeLog(models.Model):
    """Who changed what, when, with old and new values."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    model = models.CharField(_("model"), max_length=64)  # app_label.modelname
    object_id = models.CharField(_("object"), max_length=64)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    old = models.JSONField(_("old values"), null=True)
    new = models.JSONField(_("new values"), null=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        indexes = [models.Index(fields=["model", "object_id"], name="changelog_object")]

    def __str__(self) -> str:
        return f"{self.action} {self.model}#{self.object_id}"
