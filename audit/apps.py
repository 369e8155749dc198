from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The change log every service writes, bulk paths included."""

    name = "audit"
    verbose_name = _("Audit trail")
