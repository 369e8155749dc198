"""Template context for every portal page: the user's roles and unread notifications (one query)."""

from __future__ import annotations

from django.utils import timezone

from organisation.roles import is_org_staff, scope_of


def portal(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_year": timezone.localdate().year}
    scope = scope_of(user)
    return {
        "current_year": timezone.localdate().year,
        "is_official": scope.official_id is not None,
        "is_unit_admin": scope.unit_id is not None,
        "is_org_staff": is_org_staff(user),
        "unread_notifications": _unread(request),
    }


def _unread(request):
    """Counted lazily: a page that never shows the badge never runs the query."""
    from django.utils.functional import SimpleLazyObject

    return SimpleLazyObject(lambda: request.user.notifications.filter(read_at__isnull=True).count())
