from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReserveCadresConfig(AppConfig):
    """The reserve-cadre pool (RULES §6): streams, exams and defenses, practice and follow-up, disqualification."""

    name = "reserve_cadres"
    verbose_name = _("Reserve cadres")

    def ready(self) -> None:
        from organisation.signals import demo_city_loaded, demo_city_resetting

        from . import demo

        # After the training organisation's part (an app listed before this one): the growth classes join it.
        demo_city_loaded.connect(demo.build_demo_pool, dispatch_uid="reserve-cadres-demo")
        demo_city_resetting.connect(demo.clear_demo_pool, dispatch_uid="reserve-cadres-demo-reset")
