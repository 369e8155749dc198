"""Reading the catalogue, the faculty pool and the online completions (the pages and the API ask these)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q, QuerySet

from organisation.roles import is_org_staff, scope_of

from ..models import Course, FacultyMember, Module, OnlineCompletion, Subject


def subjects() -> QuerySet[Subject]:
    return Subject.objects.all()


def courses_visible_to(user) -> QuerySet[Course]:
    """Every signed-in user reads the catalogue."""
    if not user or not user.is_authenticated:
        return Course.objects.none()
    return Course.objects.select_related("subject")


def modules_visible_to(user) -> QuerySet[Module]:
    if not user or not user.is_authenticated:
        return Module.objects.none()
    return Module.objects.prefetch_related("courses")


def completions_visible_to(user) -> QuerySet[OnlineCompletion]:
    """The training section: all; a unit administrator: their unit's officials'; an official: their own."""
    completions = OnlineCompletion.objects.select_related("course", "official__unit", "record")
    if is_org_staff(user):
        return completions
    return completions.filter(scope_of(user).officials_q("official__"))


def faculty_members_visible_to(user) -> QuerySet[FacultyMember]:
    """The pool's memberships (the training section keeps it; others see nothing here)."""
    if not is_org_staff(user):
        return FacultyMember.objects.none()
    return FacultyMember.objects.select_related("official__unit")


def faculty_on(day: date) -> QuerySet[FacultyMember]:
    """The memberships current on ``day`` (joined on or before it, not left before it)."""
    return FacultyMember.objects.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))


def course_counts_by_subject() -> QuerySet[Subject]:
    """Each subject with how many courses it has (``course_count``), for the catalogue's overview."""
    return Subject.objects.annotate(course_count=Count("courses"))
