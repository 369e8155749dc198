"""Training organisation (RULES §5): the catalogue, classes with filing, approval and dispatch, the units' annual
plans, menu lectures, online courses and the faculty pool. What officials do here becomes credit records through
``credits.services.put_generated_records``; the link rows below say which record came from what, so doing it again
updates that record instead of adding one."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from credits.models import ActivityRecord, Veto
from organisation.models import Official, Unit


class Subject(models.Model):
    """A subject category of the catalogue (政治理论, 党的建设 … and the local industries); seeded by a migration."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    subject = models.ForeignKey(Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="courses")
    hours = models.DecimalField(_("study hours"), max_digits=5, decimal_places=1)
    online = models.BooleanField(_("online course"), default=False)
    credits = models.DecimalField(
        _("credits (Baoji)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("What passing this online course gives in a year under baoji-2009 (5 to 20)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.CheckConstraint(condition=models.Q(hours__gte=0), name="course_hours_not_negative")]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class Module(models.Model):
    """Courses grouped for a purpose: the wide foundation everyone takes, or an elective module."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    elective = models.BooleanField(_("elective"), default=False)
    courses = models.ManyToManyField(Course, verbose_name=_("courses"), related_name="modules", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("module")
        verbose_name_plural = _("modules")

    def __str__(self) -> str:
        return self.title


class FacultyMember(models.Model):
    """A member of the city faculty pool (师资库) from ``joined_on`` until ``left_on`` (open when blank)."""

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="faculty_memberships"
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["official__staff_no", "joined_on"]
        verbose_name = _("faculty member")
        verbose_name_plural = _("faculty pool")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("joined_on")),
                name="faculty_left_after_joined",
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.joined_on}–{self.left_on or ''}"


class ClassType(models.TextChoices):
    APPOINTMENT = "appointment", _("Appointment training")
    INITIAL = "initial", _("Initial training")
    GROWTH = "growth", _("Growth training")
    THEMATIC = "thematic", _("Thematic training")
    OTHER = "other", _("Other training")


class Dispatch(models.TextChoices):
    BY_NAME = "by_name", _("Named by the organization department")
    QUOTA = "quota", _("Seats allotted to units")


class ClassStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed, awaiting approval")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class TrainingClass(models.Model):
    """A training class (培训班). Large classes are filed and approved before anyone is enrolled (RULES §5)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    organiser = models.ForeignKey(
        Unit, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="organised_classes"
    )
    class_type = models.CharField(_("type"), max_length=16, choices=ClassType.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1)
    capacity = models.PositiveIntegerField(_("planned trainees"))
    dispatch = models.CharField(_("dispatch"), max_length=16, choices=Dispatch.choices)
    status = models.CharField(_("status"), max_length=16, choices=ClassStatus.choices, default=ClassStatus.DRAFT)
    recorded_after = models.BooleanField(
        _("entered after the fact"), default=False, help_text=_("A past class entered to record its history.")
    )
    key_class = models.BooleanField(
        _("pilot or key class"),
        default=False,
        help_text=_("A pilot or key class is followed up for one to three years; any other class for one."),
    )
    follow_up_years = models.PositiveSmallIntegerField(
        _("years of follow-up"), default=1, help_text=_("1 to 3, for a pilot or key class.")
    )
    filing_note = models.TextField(
        _("filing: trainees, content and schedule"),
        blank=True,
        help_text=_("What the filing says about who attends, the content and the schedule, beside its sessions."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        indexes = [models.Index(fields=["starts_on"], name="class_starts_on")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="class_ends_after"),
            models.CheckConstraint(condition=models.Q(days__gt=0), name="class_days_positive"),
            models.CheckConstraint(
                condition=models.Q(follow_up_years__gte=1, follow_up_years__lte=3), name="class_follow_up_years"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class ClassSession(models.Model):
    """One session of a class's schedule: its date, the course or topic taught and who taught it."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    teacher = models.ForeignKey(
        Official,
        verbose_name=_("teacher"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taught_sessions",
        help_text=_("An official teaching gets a teaching record when the class closes."),
    )
    teacher_name = models.CharField(
        _("outside teacher"), max_length=100, blank=True, help_text=_("A teacher who is not an official.")
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("class session")
        verbose_name_plural = _("class sessions")

    def __str__(self) -> str:
        return f"{self.held_on} {self.topic or self.course}"


class Quota(models.Model):
    """Seats of a quota class allotted to a unit; its study administrator names trainees up to them."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="quotas")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="class_quotas")
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        ordering = ["unit__code"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [models.UniqueConstraint(fields=["training_class", "unit"], name="one_quota_per_unit")]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.unit_id} {self.seats}"


class Enrolment(models.Model):
    """A trainee of a class, with their result once it is entered.

    A substituted trainee keeps their row (``replaced`` with the reason and who took the seat), so the roster
    shows the history; only active rows take seats and get records.
    """

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="enrolments")
    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+", help_text=_("Whose seat it takes.")
    )
    active = models.BooleanField(_("active"), default=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replacement_reason = models.CharField(_("reason for the substitution"), max_length=500, blank=True)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nominated_at = models.DateTimeField(auto_now_add=True)
    # The result (blank until entered).
    days_attended = models.DecimalField(_("days attended"), max_digits=4, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    absent_without_reason = models.BooleanField(_("absent without reason"), default=False)
    speeches = models.PositiveSmallIntegerField(_("exchange speeches"), default=0)
    reflections = models.PositiveSmallIntegerField(_("study reflections"), default=0)
    result_at = models.DateTimeField(null=True, blank=True)
    # The veto an absence from a by-name class gave (removed again when the result is corrected).
    veto = models.ForeignKey(Veto, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["official__staff_no"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "official"], condition=models.Q(active=True), name="one_active_enrolment"
            )
        ]
        indexes = [models.Index(fields=["official", "training_class"], name="enrolment_official")]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.official_id}"


class ClassRecord(models.Model):
    """Which credit record a closed class wrote for whom: one per (class, official, kind), updated on a re-close."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="records")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    record = models.OneToOneField(ActivityRecord, on_delete=models.CASCADE, related_name="class_link")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["training_class", "official", "kind"], name="one_class_record_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.official_id} {self.kind}"


class UnitPlan(models.Model):
    """A unit's training plan for a year, due by 31 December of the year before."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="training_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    planned_classes = models.PositiveIntegerField(_("planned classes"))
    expected_trainees = models.PositiveIntegerField(_("expected trainees"))
    content = models.TextField(_("plan"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(_("filed at"), auto_now=True)

    class Meta:
        ordering = ["year", "unit__code"]
        verbose_name = _("unit training plan")
        verbose_name_plural = _("unit training plans")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_plan_per_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}"


class LectureLevel(models.TextChoices):
    CITY = "city", _("City training office")
    OTHER = "other", _("Other unit or department")


class Lecture(models.Model):
    """A "menu" lecture (菜单式选学): officials sign up within capacity and are checked in."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=8, choices=LectureLevel.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    speaker = models.CharField(_("speaker"), max_length=100, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # The code an official types on their phone to check in themselves (shown to the room by the organiser).
    checkin_code = models.CharField(_("check-in code"), max_length=8)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "code"]
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class LectureSignup(models.Model):
    lecture = models.ForeignKey(Lecture, on_delete=models.CASCADE, related_name="signups")
    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="+")
    signed_up_at = models.DateTimeField(auto_now_add=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    record = models.OneToOneField(
        ActivityRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="lecture_link"
    )

    class Meta:
        ordering = ["official__staff_no"]
        verbose_name = _("lecture sign-up")
        verbose_name_plural = _("lecture sign-ups")
        constraints = [models.UniqueConstraint(fields=["lecture", "official"], name="one_signup_per_lecture")]

    def __str__(self) -> str:
        return f"{self.lecture_id} {self.official_id}"


class CompletionSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported")


class OnlineCompletion(models.Model):
    """An official's completion of an online course; with the exam passed it gives one record."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="completions")
    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField(_("completed on"))
    exam_passed = models.BooleanField(_("exam passed"))
    source = models.CharField(max_length=16, choices=CompletionSource.choices, default=CompletionSource.ENTERED)
    record = models.OneToOneField(
        ActivityRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="completion_link"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-completed_on"]
        verbose_name = _("online course completion")
        verbose_name_plural = _("online course completions")
        constraints = [models.UniqueConstraint(fields=["course", "official"], name="one_completion_per_course")]

    def __str__(self) -> str:
        return f"{self.course_id} {self.official_id} {self.completed_on}"


# ---------------------------------------------------------------------------------------------------
# Questionnaires (需求调查, class evaluations): RULES §5, seed 002 annex 1. Anonymity is a property of the storage:
# an answer (SurveyResponse, SurveyAnswer) has no column that leads to a person — no official, no user, no time, no
# sequential id — and who has answered (SurveyParticipation) has no column that leads to an answer. Pages, exports
# and the API read results only through courses.selectors.surveys, which never breaks down a group of fewer than 5.


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    SCALE = "scale", _("Scale of 1 to 5")
    TEXT = "text", _("Free text")


class QuestionTopic(models.TextChoices):
    """What the seed asks a needs survey about (annex 1 第五条), and what a class evaluation rates."""

    CONTENT = "content", _("Training content")
    METHODS = "methods", _("Teaching methods")
    CHANNELS = "channels", _("Training channels")
    TIMING = "timing", _("Training time")
    QUALITY = "quality", _("Training quality")
    TEACHING = "teaching", _("Teachers")
    ORGANISATION = "organisation", _("Organisation of the class")
    OTHER = "other", _("Other")


class NeedLevel(models.TextChoices):
    """The three levels of training needs (annex 1 第三条)."""

    ORGANISATIONAL = "organisational", _("Organisational needs")
    POST = "post", _("Post needs")
    INDIVIDUAL = "individual", _("Individual needs")


class QuestionnairePurpose(models.TextChoices):
    NEEDS = "needs", _("Training needs survey")
    CLASS_EVALUATION = "class_evaluation", _("Class evaluation")
    OTHER = "other", _("Other questionnaire")


class Questionnaire(models.Model):
    """A reusable questionnaire (问卷模板). Its questions cannot change once a survey using it has answers, so
    the answers of every half year stay comparable."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=20, choices=QuestionnairePurpose.choices)
    description = models.TextField(_("description"), blank=True)
    builtin = models.BooleanField(_("ready-made"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    topic = models.CharField(_("topic"), max_length=16, choices=QuestionTopic.choices, blank=True)
    need = models.CharField(_("level of need"), max_length=16, choices=NeedLevel.choices, blank=True)
    per_session = models.BooleanField(
        _("asked for each session"),
        default=False,
        help_text=_("In a class evaluation: asked once for each session of the class (its course and teacher)."),
    )

    class Meta:
        ordering = ["questionnaire", "order"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="one_question_per_place")]

    def __str__(self) -> str:
        return f"{self.order}. {self.text}"


class Survey(models.Model):
    """A questionnaire put to officials between two dates: a needs survey to units and/or ranks (empty: everyone),
    or the evaluation of one closed class (to its trainees)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="surveys"
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    units = models.ManyToManyField(Unit, verbose_name=_("units asked"), blank=True, related_name="+")
    ranks = models.JSONField(_("ranks asked"), default=list, blank=True)
    training_class = models.OneToOneField(
        TrainingClass,
        verbose_name=_("class evaluated"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "code"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="survey_closes_after")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class SurveyParticipation(models.Model):
    """That an official has answered a survey (so they cannot answer twice) — and nothing else: no time, no link to
    the answer. Random ids, so neither the id nor the row's order tells when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("survey participation")
        verbose_name_plural = _("survey participations")
        constraints = [models.UniqueConstraint(fields=["survey", "official"], name="one_answer_per_official")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.official_id}"


class SurveyResponse(models.Model):
    """One anonymous filled questionnaire. It keeps only what the summaries need: the half year it was answered
    in and the respondent's coarse groups (rank, kind of unit: courses.survey_rules.BREAKDOWNS) — never the
    official, the user, the unit, the time or a sequential id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    period = models.CharField(_("half year"), max_length=6)  # "2026H1" (kunshan_training.half_years)
    rank = models.CharField(_("rank"), max_length=16)
    unit_kind = models.CharField(_("kind of unit"), max_length=16)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [models.Index(fields=["survey", "period"], name="response_survey_period")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.period}"


class SurveyAnswer(models.Model):
    """One answer of a response: the chosen option (one row per option of a multiple choice), the scale value or
    the text; ``session`` for a question asked per class session. Random ids, like the response's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    # Copied from the response so a question's counts are one indexed GROUP BY (results pages, 50,000 answers).
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=6)
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    session = models.ForeignKey(ClassSession, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [models.Index(fields=["survey", "period", "question"], name="answer_survey_question")]

    def __str__(self) -> str:
        return f"{self.question_id}"


# ---------------------------------------------------------------------------------------------------
# Follow-up of closed classes (追踪问效): RULES §5, seed 002 annex 4; dates in courses.followup_rules.


class SelfEvaluation(models.Model):
    """A trainee's self-evaluation when the class ends (受训前后的自我评价): what was learnt, what it inspired, new
    ideas, and how they rate themselves before and after. Named, unlike the class evaluation."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="self_evaluation")
    knowledge = models.TextField(_("knowledge gained"))
    inspiration = models.TextField(_("what the class inspired"), blank=True)
    ideas = models.TextField(_("new ideas for the work"), blank=True)
    before = models.PositiveSmallIntegerField(_("before the class (1–5)"))
    after = models.PositiveSmallIntegerField(_("after the class (1–5)"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("self-evaluation")
        verbose_name_plural = _("self-evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(before__gte=1, before__lte=5, after__gte=1, after__lte=5),
                name="self_evaluation_scale",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}"


class StudySummary(models.Model):
    """A trainee's study summary (学习总结), due three months after the class; a checked PDF or image, or text."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="study_summary")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to="followup/%Y/", blank=True)
    file_type = models.CharField(max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("study summary")
        verbose_name_plural = _("study summaries")

    def __str__(self) -> str:
        return self.title


class FollowUpForum(models.Model):
    """A forum of the class's trainees (座谈会) held 1–3 months after it, recorded by the organiser."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="forums")
    held_on = models.DateField(_("held on"))
    attendees = models.PositiveIntegerField(_("trainees attending"))
    summary = models.TextField(_("what was said"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("follow-up forum")
        verbose_name_plural = _("follow-up forums")

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.held_on}"


class FollowUpSample(models.Model):
    """The trainees drawn for one yearly follow-up round: size and seed recorded, so the draw can be repeated."""

    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="follow_up_samples")
    round = models.PositiveSmallIntegerField(_("year of follow-up"))
    population = models.PositiveIntegerField(_("trainees drawn from"))
    size = models.PositiveIntegerField(_("sample size"))
    seed = models.BigIntegerField(_("seed"))
    due_on = models.DateField(_("due on"))
    drawn_at = models.DateTimeField(auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["training_class", "round"]
        verbose_name = _("follow-up sample")
        verbose_name_plural = _("follow-up samples")
        constraints = [
            models.UniqueConstraint(fields=["training_class", "round"], name="one_sample_per_round"),
            models.CheckConstraint(condition=models.Q(round__gte=1, round__lte=3), name="sample_round_1_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.training_class_id} {self.round}"


class FollowUpOutcome(models.TextChoices):
    CLEAR = "clear", _("Clear improvement")
    SOME = "some", _("Some improvement")
    NONE = "none", _("No visible improvement")


class FollowUpMethod(models.TextChoices):
    TALK = "talk", _("Individual talk")
    FORUM = "forum", _("Forum at the unit")
    VISIT = "visit", _("Visit to the unit")


class FollowUpReview(models.Model):
    """The follow-up of one sampled trainee in one round: how they apply what they learnt, found at their unit."""

    sample = models.ForeignKey(FollowUpSample, on_delete=models.CASCADE, related_name="reviews")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="follow_up_reviews")
    done_on = models.DateField(_("done on"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=8, choices=FollowUpMethod.choices, blank=True)
    outcome = models.CharField(_("outcome"), max_length=8, choices=FollowUpOutcome.choices, blank=True)
    finding = models.TextField(_("finding"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "enrolment__official__staff_no"]
        verbose_name = _("follow-up review")
        verbose_name_plural = _("follow-up reviews")
        constraints = [models.UniqueConstraint(fields=["sample", "enrolment"], name="one_review_per_sampled_trainee")]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.enrolment_id}"
