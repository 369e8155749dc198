from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bulk import of units, officials and activity records from spreadsheets (xlsx, csv)."""

    name = "imports"
    verbose_name = _("Imports")
