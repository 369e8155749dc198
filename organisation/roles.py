"""The three roles, built on Django groups and permissions, and the row scope each one grants.

- org-dept staff (干部教育培训科): the ``credits.review_activityrecord`` permission (the ``org_staff`` group
  grants it; superusers have it); sees and decides everything;
- unit study administrator: a ``StudyAdministrator`` row, scoped to one unit (group ``unit_admins``);
- official: a login linked to an ``Official``; sees only their own records and scores.
A person can hold more than one role (an administrator is usually an official too); scopes add up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

ORG_STAFF_GROUP = "org_staff"
UNIT_ADMIN_GROUP = "unit_admins"
OFFICIAL_GROUP = "officials"
REVIEW_PERMISSION = "credits.review_activityrecord"


@dataclass(frozen=True)
class Scope:
    """What rows a user may see: everything, or the officials of some units plus themselves."""

    everything: bool
    unit_id: int | None
    official_id: int | None

    def officials_q(self, prefix: str = "") -> Q:
        """A filter on officials (``prefix`` is the path to the official, e.g. ``"official__"``)."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.unit_id is not None:
            q |= Q(**{f"{prefix}unit_id": self.unit_id})
        if self.official_id is not None:
            q |= Q(**{f"{prefix}pk": self.official_id})
        return q

    @property
    def nothing(self) -> bool:
        return not self.everything and self.unit_id is None and self.official_id is None


def scope_of(user) -> Scope:
    """The row scope of ``user``, cached on the user object for the request."""
    cached = getattr(user, "_training_scope", None)
    if cached is not None:
        return cached
    if not user or not user.is_authenticated:
        scope = Scope(everything=False, unit_id=None, official_id=None)
    elif is_org_staff(user):
        scope = Scope(everything=True, unit_id=None, official_id=None)
    else:
        from .models import Official, StudyAdministrator

        unit_id = StudyAdministrator.objects.filter(user=user).values_list("unit_id", flat=True).first()
        official_id = Official.objects.filter(user=user).values_list("pk", flat=True).first()
        scope = Scope(everything=False, unit_id=unit_id, official_id=official_id)
    user._training_scope = scope
    return scope


def is_org_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(REVIEW_PERMISSION))


def org_staff_user_ids() -> list[int]:
    """The active users who hold the org staff's permission (is_org_staff: its group, the
    permission itself, or a superuser), in one query."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = REVIEW_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holders = Q(is_superuser=True) | Q(groups__permissions__in=permission) | Q(user_permissions__in=permission)
    return list(
        get_user_model().objects.filter(holders, is_active=True).distinct().order_by("pk").values_list("pk", flat=True)
    )


def is_unit_admin(user) -> bool:
    return scope_of(user).unit_id is not None


def ensure_role_groups(**kwargs) -> None:
    """Create the three role groups with their permissions (run after every migrate; idempotent)."""
    from django.contrib.auth.models import Group, Permission

    wanted = {
        ORG_STAFF_GROUP: [
            ("credits", "review_activityrecord"),
            ("credits", "add_activityrecord"),
            ("credits", "change_activityrecord"),
            ("credits", "delete_activityrecord"),
            ("credits", "add_exemption"),
            ("credits", "delete_exemption"),
            ("credits", "add_veto"),
            ("credits", "delete_veto"),
            ("organisation", "add_official"),
            ("organisation", "change_official"),
            ("organisation", "add_unit"),
            ("organisation", "change_unit"),
        ],
        UNIT_ADMIN_GROUP: [("credits", "add_activityrecord")],
        OFFICIAL_GROUP: [("credits", "add_activityrecord")],
    }
    for name, perms in wanted.items():
        group, _created = Group.objects.get_or_create(name=name)
        found = Permission.objects.filter(
            content_type__app_label__in={app for app, _ in perms}, codename__in={code for _, code in perms}
        )
        group.permissions.add(*[p for p in found if (p.content_type.app_label, p.codename) in set(perms)])
