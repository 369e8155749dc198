from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditsConfig(AppConfig):
    name = "credits"
    verbose_name = _("Training credits")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from organisation.roles import ensure_role_groups

        from . import signals  # noqa: F401

        post_migrate.connect(ensure_role_groups, sender=self)
