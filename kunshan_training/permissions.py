from rest_framework import permissions

from organisation.roles import is_org_staff


class OrgStaffWrites(permissions.IsAuthenticated):
    """Everyone signed in reads (rows are restricted by the queryset); only org-dept staff write."""

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in permissions.SAFE_METHODS or is_org_staff(request.user)


class OrgStaffOnly(permissions.IsAuthenticated):
    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and is_org_staff(request.user)
