"""What the reserve pool's pages share: who may open them, finding a reserve in the user's scope (404 outside it),
the day the flags are judged on, and running a service for a POST."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..forms import date_from
from ..models import Reserve
from ..selectors.reserves import reserves_visible_to


def visible_reserve(request: HttpRequest, pk: int) -> Reserve:
    """The reserve if the user may see its details, else 404 (a unit administrator sees their unit's only)."""
    return get_object_or_404(reserves_visible_to(request.user).select_related("official__unit"), pk=pk)


def day_of(request: HttpRequest) -> date:
    """The day the flags and due items are judged on: ``?on=YYYY-MM-DD``, else today (Asia/Shanghai)."""
    return date_from(request.GET.get("on"), timezone.localdate())
