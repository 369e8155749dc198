"""What the scorecards' pages share: who may open them, finding a card in the user's scope, running a service for a
POST, and the template's items read once per template (the engine's plain types)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from ..engine import Template
from ..models import Scorecard, ScorecardTemplate
from ..selectors.cards import cards_visible_to, engine_template


def visible_card(request: HttpRequest, pk: int) -> Scorecard:
    """The card if the user may see it, else 404 (a unit administrator sees only their unit's cards)."""
    return get_object_or_404(cards_visible_to(request.user).select_related("template", "unit"), pk=pk)


def template_of(template: ScorecardTemplate) -> Template:
    """The template's definition read by the engine (once per template object)."""
    return engine_template(template)


def this_year() -> int:
    return timezone.localdate().year


def points(value: Decimal | None) -> str:
    """A score as the pages write it: one decimal, without ".0" (4.5, 90, 104)."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.1"))
    return f"{value:f}".removesuffix(".0")


def tier_titles(template: Template) -> dict[str, str]:
    """Each tier code's title (the template's Chinese words), falling back to the code."""
    return {tier.code: tier.title or tier.code for tier in template.tiers}


def no_tier() -> str:
    return _("not rated yet")
