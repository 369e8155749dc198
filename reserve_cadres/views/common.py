"""What the reserve pool's pages share: who may open them, finding a reserve in the user's scope (404 outside it),
the day the flags are judged on, and running a service for a POST."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from courses.views.common import form_errors_text, run_service  # noqa: F401 - shared with the pages here
from organisation.roles import is_org_staff, scope_of

from ..forms import date_from
from ..models import Reserve
from ..selectors.reserves import reserves_visible_to


class ReserveRoleMixin(LoginRequiredMixin):
    """The training section or a unit's study administrator (``self.is_staff``, ``self.unit_id``); officials see
    only the published list, so they (and accounts without a role) get 403 here."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.is_staff = is_org_staff(request.user)
        self.unit_id = scope_of(request.user).unit_id
        if not self.is_staff and self.unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def visible_reserve(request: HttpRequest, pk: int) -> Reserve:
    """The reserve if the user may see its details, else 404 (a unit administrator sees their unit's only)."""
    return get_object_or_404(reserves_visible_to(request.user).select_related("official__unit"), pk=pk)


def day_of(request: HttpRequest) -> date:
    """The day the flags and due items are judged on: ``?on=YYYY-MM-DD``, else today (Asia/Shanghai)."""
    return date_from(request.GET.get("on"), timezone.localdate())
