from django.contrib import admin

from .models import (
    ClassSession,
    Course,
    Enrolment,
    FacultyMember,
    Lecture,
    LectureSignup,
    Module,
    OnlineCompletion,
    Quota,
    Subject,
    TrainingClass,
    UnitPlan,
)


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")
    search_fields = ("code", "name")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "subject", "hours", "online", "credits")
    list_filter = ("online", "subject")
    search_fields = ("code", "title")


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "elective")
    filter_horizontal = ("courses",)


@admin.register(FacultyMember)
class FacultyMemberAdmin(admin.ModelAdmin):
    list_display = ("official", "joined_on", "left_on")
    raw_id_fields = ("official",)


class SessionInline(admin.TabularInline):
    model = ClassSession
    extra = 0
    raw_id_fields = ("teacher", "course")


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0


# Enrolments, results and closing go through the portal (courses.services), which writes the credit records;
# the admin shows classes read-mostly for support.
@admin.register(TrainingClass)
class TrainingClassAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "class_type", "starts_on", "capacity", "dispatch", "status")
    list_filter = ("status", "class_type", "dispatch")
    search_fields = ("code", "title")
    inlines = [SessionInline, QuotaInline]
    readonly_fields = ("status", "filed_at", "approved_at", "closed_at")


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("training_class", "official", "unit", "active", "days_attended", "passed")
    raw_id_fields = ("official", "replaced_by", "veto")
    list_select_related = ("training_class", "official", "unit")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(UnitPlan)
class UnitPlanAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "planned_classes", "expected_trainees", "filed_at")
    list_filter = ("year",)


@admin.register(Lecture)
class LectureAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "held_on", "level", "capacity")
    search_fields = ("code", "title")


@admin.register(LectureSignup)
class LectureSignupAdmin(admin.ModelAdmin):
    list_display = ("lecture", "official", "checked_in_at")
    raw_id_fields = ("official", "record")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(OnlineCompletion)
class OnlineCompletionAdmin(admin.ModelAdmin):
    list_display = ("course", "official", "completed_on", "exam_passed", "source")
    raw_id_fields = ("official", "record")

    def has_add_permission(self, request) -> bool:
        return False
