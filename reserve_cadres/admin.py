"""Admin: the reserve pool read-only, for support (every write goes through reserve_cadres.services, which checks the
rules of RULES §6 and audits it)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Defense,
    Exam,
    ExaminerScore,
    Practice,
    Reflection,
    Reserve,
    ReserveTraining,
    Talk,
    YearlyAssessment,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class TrainingInline(ReadOnlyInline):
    model = ReserveTraining
    fields = readonly_fields = ["year", "training_class", "title", "days"]


class ExamInline(ReadOnlyInline):
    model = Exam
    fields = readonly_fields = ["year", "held_on", "score", "entered_by", "entered_at"]


class DefenseInline(ReadOnlyInline):
    model = Defense
    fields = readonly_fields = ["year", "held_on", "panel_score", "vote_score", "score", "passed"]


class PracticeInline(ReadOnlyInline):
    model = Practice
    fields = readonly_fields = ["kind", "place", "starts_on", "ends_on"]


class TalkInline(ReadOnlyInline):
    model = Talk
    fields = readonly_fields = ["held_on", "leader", "note"]


class ReflectionInline(ReadOnlyInline):
    model = Reflection
    fields = readonly_fields = ["period", "title", "file", "submitted_at"]


class AssessmentInline(ReadOnlyInline):
    model = YearlyAssessment
    fields = readonly_fields = ["year", "result", "comment"]


@admin.register(Reserve)
class ReserveAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["official", "level", "stream", "decided_on", "status", "left_on", "disqualify_reason"]
    list_filter = ["status", "level", "stream", "official__unit"]
    search_fields = ["official__staff_no", "official__name", "decision_document"]
    list_select_related = ["official"]
    inlines = [TrainingInline, ExamInline, DefenseInline, PracticeInline, TalkInline, ReflectionInline,
               AssessmentInline]  # fmt: skip


class ExaminerScoreInline(ReadOnlyInline):
    model = ExaminerScore
    fields = readonly_fields = ["position", "score"]


@admin.register(Defense)
class DefenseAdmin(ReadOnly, admin.ModelAdmin):
    """A defense with each examiner's score and the vote counts (the scores computed by reserve_cadres.rules)."""

    list_display = ["reserve", "year", "held_on", "score", "passed"]
    list_filter = ["year", "passed"]
    search_fields = ["reserve__official__staff_no", "reserve__official__name"]
    list_select_related = ["reserve__official"]
    inlines = [ExaminerScoreInline]
