"""Reads of the organisation directory, restricted to what a user may see."""

from django.db.models import QuerySet

from .models import Official, Unit
from .roles import scope_of


def officials_visible_to(user) -> QuerySet[Official]:
    return Official.objects.filter(scope_of(user).officials_q()).select_related("unit")


def units_visible_to(user) -> QuerySet[Unit]:
    """Units are a public directory to every signed-in user."""
    return Unit.objects.select_related("parent")
