from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    """The organisation directory: units, officials and the roles people hold."""

    name = "organisation"
    verbose_name = _("Organisation")
