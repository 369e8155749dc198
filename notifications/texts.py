"""The words of a notification, rendered in the reader's language when shown or sent."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import Notification, NotificationKind


def notification_text(notification: Notification) -> str:
    from credits.models import Category, Kind

    p = notification.params or {}
    kind_label = Kind(p["kind"]).label if p.get("kind") in Kind.values else p.get("kind", "")
    if notification.kind == NotificationKind.RECORD_APPROVED:
        return _("Your record “%(kind)s” of %(date)s for %(official)s was approved.") % {
            "kind": kind_label, "date": p.get("occurred_on", ""), "official": p.get("official", "")}  # fmt: skip
    if notification.kind == NotificationKind.RECORD_REJECTED:
        return _("Your record “%(kind)s” of %(date)s for %(official)s was rejected: %(reason)s") % {
            "kind": kind_label, "date": p.get("occurred_on", ""), "official": p.get("official", ""),
            "reason": p.get("reason", "")}  # fmt: skip
    if notification.kind == NotificationKind.BEHIND_PACE:
        categories = "、".join(str(Category(c).label) for c in p.get("categories", []) if c in Category.values)
        return _("%(official)s is behind pace for %(year)s on: %(categories)s.") % {
            "official": p.get("official", ""), "year": p.get("year", ""), "categories": categories}  # fmt: skip
    return notification.get_kind_display()
