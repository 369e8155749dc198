"""The portal's front door: each role lands on its own start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from organisation.roles import is_org_staff, scope_of


@login_required
def home(request):
    if is_org_staff(request.user):
        return redirect("portal:staff-queue")
    scope = scope_of(request.user)
    if scope.unit_id is not None:
        return redirect("portal:unit-officials")
    if scope.official_id is not None:
        return redirect("portal:my-credits")
    return render(request, "portal/no_role.html", status=403)
