"""``{% locked_years_note %}``: on every page that writes records (declare, enter, central-group sessions, imports),
the published (locked) years and what that means, before the user fills in a form that would be refused."""

from __future__ import annotations

from django import template

from credits.models import PublishedYear

register = template.Library()


@register.inclusion_tag("portal/_locked_years.html")
def locked_years_note():
    """One query: the published years, newest first (nothing is shown when no year is published)."""
    return {"years": list(PublishedYear.objects.order_by("-year").values_list("year", flat=True))}
