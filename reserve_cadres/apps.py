from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReserveCadresConfig(AppConfig):
    """The reserve-cadre pool (RULES §6): streams, exams and defenses, practice and follow-up, disqualification."""

    name = "reserve_cadres"
    verbose_name = _("Reserve cadres")
