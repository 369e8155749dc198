from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Unit scorecards (RULES §4): templates, self-checks, review, computed items, tiers and rankings."""

    name = "assessments"
    verbose_name = _("Unit scorecards")

    def ready(self) -> None:
        from organisation.signals import demo_city_loaded, demo_city_resetting

        from . import signals  # (connects the cards to the credits pipeline)

        demo_city_loaded.connect(signals.build_demo_scorecards, dispatch_uid="assessments-demo")
        demo_city_resetting.connect(signals.clear_demo_scorecards, dispatch_uid="assessments-demo-reset")
