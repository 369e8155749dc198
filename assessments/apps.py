from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Unit scorecards (RULES §4): templates, self-checks, review, computed items, tiers and rankings."""

    name = "assessments"
    verbose_name = _("Unit scorecards")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the cards to the credits pipeline)
