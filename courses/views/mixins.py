"""Access for the training organisation's pages beyond the portal's role mixins (``portal.access``)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from organisation.roles import is_org_staff, scope_of


class SignedInMixin(LoginRequiredMixin):
    """Any role of the portal (official, unit administrator, training section): the lectures are for everyone.
    A signed-in account without a role gets 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        scope = scope_of(request.user)
        if not (is_org_staff(request.user) or scope.unit_id is not None or scope.official_id is not None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
