"""The words of a notification, rendered in the reader's language when shown or sent."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from .models import Notification, NotificationKind


def notification_text(notification: Notification) -> str:
    from credits.policies import category_label
    from credits.policies import kind_label as label_of_kind

    p = notification.params or {}
    kind_label = label_of_kind(p.get("kind", ""))
    if notification.kind == NotificationKind.RECORD_APPROVED:
        return _("Your record “%(kind)s” of %(date)s for %(official)s was approved.") % {
            "kind": kind_label, "date": p.get("occurred_on", ""), "official": p.get("official", "")}  # fmt: skip
    if notification.kind == NotificationKind.RECORD_REJECTED:
        return _("Your record “%(kind)s” of %(date)s for %(official)s was rejected: %(reason)s") % {
            "kind": kind_label, "date": p.get("occurred_on", ""), "official": p.get("official", ""),
            "reason": p.get("reason", "")}  # fmt: skip
    if notification.kind == NotificationKind.BEHIND_PACE:
        from credits.standing_words import cause_text, causes_from_params

        causes = causes_from_params(p.get("causes"))
        if causes:  # the exact cause ("市级讲座 1 次，还需 3 次"), not just the category
            return _("%(official)s is behind pace for %(year)s: %(causes)s.") % {
                "official": p.get("official", ""), "year": p.get("year", ""),
                "causes": "；".join(cause_text(replace(c, behind_pace=False)) for c in causes)}  # fmt: skip
        categories = "、".join(category_label(c) for c in p.get("categories", []))
        return _("%(official)s is behind pace for %(year)s on: %(categories)s.") % {
            "official": p.get("official", ""), "year": p.get("year", ""), "categories": categories}  # fmt: skip
    if notification.kind == NotificationKind.RECORDS_APPROVED:
        names = "、".join(p.get("officials", []))
        if p.get("more"):
            names = _("%(names)s and %(n)s more (%(total)s in all)") % {
                "names": names, "n": p["more"], "total": len(p.get("officials", [])) + p["more"]}  # fmt: skip
        values = {"n": p.get("count", 0), "topic": p.get("topic", ""), "date": p.get("occurred_on", ""),
                  "names": names, "year": p.get("year", "")}  # fmt: skip
        if p.get("what") == "session":
            return _("%(n)s attendance records of the central-group session “%(topic)s” of %(date)s were approved "
                     "(%(names)s).") % values  # fmt: skip
        return _("%(n)s imported records of %(year)s were approved (%(names)s).") % values
    if notification.kind == NotificationKind.GRADE_CHANGED:
        old, new = _grade_label(p.get("old")), _grade_label(p.get("new"))
        return _("Your grade for %(year)s changed from %(old)s to %(new)s.") % {
            "year": p.get("year", ""), "old": old, "new": new}  # fmt: skip
    if notification.kind == NotificationKind.SELF_CHECK_OVERDUE:
        return _("The %(period)s self-check of “%(template)s” %(year)s for %(unit)s was due on %(due_on)s and has not "
                 "been submitted.") % {
            "period": p.get("period_title") or p.get("period", ""), "template": p.get("template", ""),
            "year": p.get("year", ""), "unit": p.get("unit", ""), "due_on": p.get("due_on", "")}  # fmt: skip
    if notification.kind == NotificationKind.RESERVE_FOLLOW_UP_OVERDUE:
        values = {"official": p.get("official", ""), "unit": p.get("unit", ""), "due_on": p.get("due_on", ""),
                  "period": _half_year_label(p.get("period", "")), "year": p.get("period", "")}  # fmt: skip
        if p.get("what") == "assessment":
            return _("The yearly assessment of %(year)s of the reserve cadre %(official)s (%(unit)s) was due on "
                     "%(due_on)s and has not been entered.") % values  # fmt: skip
        return _("The reflection article of %(period)s of the reserve cadre %(official)s (%(unit)s) was due on "
                 "%(due_on)s and has not been entered.") % values  # fmt: skip
    if notification.kind in (NotificationKind.FOLLOW_UP_DUE, NotificationKind.FOLLOW_UP_OVERDUE):
        return _follow_up_text(p, overdue=notification.kind == NotificationKind.FOLLOW_UP_OVERDUE)
    return notification.get_kind_display()


def _follow_up_text(p: dict, *, overdue: bool) -> str:
    """A training follow-up item (courses.services.followup_notices): the trainee's self-evaluation or study
    summary, the organiser's forum or a sampled trainee's yearly review."""
    values = {"class": p.get("class_title", ""), "code": p.get("class_code", ""), "due_on": p.get("due_on", ""),
              "official": p.get("official", ""), "round": p.get("round", "")}  # fmt: skip
    what = p.get("what")
    if what == "self_evaluation":
        if overdue:
            return _("Your self-evaluation of the class “%(class)s” was due on %(due_on)s and has not been "
                     "submitted.") % values  # fmt: skip
        return _("Please submit your self-evaluation of the class “%(class)s” by %(due_on)s.") % values
    if what == "study_summary":
        if overdue:
            return _("Your study summary of the class “%(class)s” was due on %(due_on)s and has not been "
                     "submitted.") % values  # fmt: skip
        return _("Please upload your study summary of the class “%(class)s” by %(due_on)s.") % values
    if what == "forum":
        if overdue:
            return _("The follow-up forum of the class “%(class)s” (%(code)s) was due by %(due_on)s and has not been "
                     "recorded.") % values  # fmt: skip
        return _("Hold and record the follow-up forum of the class “%(class)s” (%(code)s) by %(due_on)s.") % values
    if p.get("pending"):
        values["n"] = p["pending"]
        return _("The year %(round)s follow-up of the class “%(class)s” (%(code)s) was due on %(due_on)s: %(n)s "
                 "sampled trainees are not recorded yet.") % values  # fmt: skip
    if overdue:
        return _("The year %(round)s follow-up of the class “%(class)s” (%(code)s) was due on %(due_on)s and no "
                 "trainees have been drawn for it.") % values  # fmt: skip
    return _("The year %(round)s follow-up of the class “%(class)s” (%(code)s) is due on %(due_on)s.") % values


def _half_year_label(period: str) -> str:
    """ "2026H1" → "the first half of 2026" (上半年), as the reader reads it (kunshan_training.half_years)."""
    from django.core.exceptions import ValidationError

    from kunshan_training.half_years import HalfYear

    try:
        return HalfYear.parse(period).label()
    except ValidationError:
        return period


def _grade_label(code: str | None) -> str:
    from credits.policies import label

    if not code:
        return str(_("no grade (exempt)"))
    return label(code)
