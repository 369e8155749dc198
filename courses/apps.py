from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Training organisation: the catalogue, classes, dispatch, lectures, online courses and the faculty pool."""

    name = "courses"
    verbose_name = _("Training organisation")

    def ready(self) -> None:
        # The online academy's completions are one more kind of the import machinery (imports.registry).
        from .import_kinds import register

        register()
