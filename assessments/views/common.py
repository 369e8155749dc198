"""What the scorecards' pages share: who may open them, finding a card in the user's scope, running a service for a
POST, and the template's items read once per template (the engine's plain types)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.roles import is_org_staff, scope_of

from ..engine import Template
from ..forms import add_service_errors
from ..models import Scorecard, ScorecardTemplate
from ..selectors.cards import cards_visible_to, engine_template

T = TypeVar("T")


class ScorecardRoleMixin(LoginRequiredMixin):
    """The training section or a unit's study administrator (``self.is_staff``, ``self.unit_id``); officials and
    accounts without a role get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.is_staff = is_org_staff(request.user)
        self.unit_id = scope_of(request.user).unit_id
        if not self.is_staff and self.unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def visible_card(request: HttpRequest, pk: int) -> Scorecard:
    """The card if the user may see it, else 404 (a unit administrator sees only their unit's cards)."""
    return get_object_or_404(cards_visible_to(request.user).select_related("template", "unit"), pk=pk)


def run_service(request: HttpRequest, call: Callable[[], T], *, form=None) -> tuple[bool, T | None]:
    """Run ``call``; a ValidationError goes on ``form`` (or into the page's messages) in the service's plain words.
    A PermissionDenied is raised on (403): the pages offer an action only to whom the service allows it."""
    try:
        return True, call()
    except ValidationError as error:
        if form is not None:
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False, None


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
