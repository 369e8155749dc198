"""Who may open which portal page. Row-level limits come from ``organisation.roles.scope_of``.

Views use these mixins; a signed-in user without the role gets 403, an anonymous one the sign-in page.
Objects outside the user's scope are looked up through scoped querysets, so they are 404.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of


class OfficialRequiredMixin(LoginRequiredMixin):
    """The signed-in user is an official; ``self.official`` is theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        official_id = scope_of(request.user).official_id
        if official_id is None:
            raise PermissionDenied
        self.official = Official.objects.select_related("unit").get(pk=official_id)
        return super().dispatch(request, *args, **kwargs)


class UnitAdminRequiredMixin(LoginRequiredMixin):
    """The signed-in user administers a unit (``self.unit``); org-dept staff may pick one with ``?unit=CODE``."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        scope = scope_of(request.user)
        code = request.GET.get("unit") or kwargs.get("unit_code")
        if scope.everything and code:
            self.unit = Unit.objects.filter(code=code).first()
            if self.unit is None:
                raise Http404
        elif scope.unit_id is not None:
            self.unit = Unit.objects.get(pk=scope.unit_id)
        else:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrgStaffRequiredMixin(LoginRequiredMixin):
    """The signed-in user is org-dept training section staff."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_org_staff(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class StaffOrUnitAdminRequiredMixin(LoginRequiredMixin):
    """The training section or a unit's study administrator (``self.is_staff``, ``self.unit_id``); officials and
    accounts without either role get 403. Rows come through the app's scoped querysets (404 outside them)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.is_staff = is_org_staff(request.user)
        self.unit_id = scope_of(request.user).unit_id
        if not self.is_staff and self.unit_id is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
