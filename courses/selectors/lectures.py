"""Reading lectures and their sign-ups."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from organisation.roles import is_org_staff, scope_of

from ..models import Lecture, LectureSignup


def lectures_visible_to(user) -> QuerySet[Lecture]:
    """Every signed-in user reads the lectures (to sign up), each with ``signup_count``, ``checked_in_count`` and
    ``places_left``."""
    if not user or not user.is_authenticated:
        return Lecture.objects.none()
    return Lecture.objects.annotate(
        signup_count=Count("signups"),
        checked_in_count=Count("signups", filter=Q(signups__checked_in_at__isnull=False)),
        places_left=F("capacity") - Count("signups"),
    ).order_by("-held_on", "code")  # a grouped query drops the model's ordering


def signups(lecture: Lecture) -> QuerySet[LectureSignup]:
    """Everyone signed up for ``lecture`` (the organiser's list to tick)."""
    return LectureSignup.objects.filter(lecture=lecture).select_related("official__unit", "record")


def signups_visible_to(user, lecture: Lecture) -> QuerySet[LectureSignup]:
    """The sign-ups of ``lecture`` a user may see: the training section all, a unit administrator their unit's, an
    official their own."""
    if is_org_staff(user):
        return signups(lecture)
    return signups(lecture).filter(scope_of(user).officials_q("official__"))


def signups_of(*, official_id: int, year: int | None = None) -> QuerySet[LectureSignup]:
    """An official's sign-ups (of ``year``), with the lecture and the record a check-in gave."""
    found = LectureSignup.objects.filter(official_id=official_id).select_related("lecture", "record")
    if year is not None:
        found = found.filter(lecture__held_on__year=year)
    return found.order_by("lecture__held_on", "lecture__code")
