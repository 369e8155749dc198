"""The reserve-cadre pool (RULES §6): a reserve is an official with a level and a stream, decided on a date; their
training, written exams, defenses (each examiner's score its own row), practice (rotations, secondments), contact
leader and talks, half-yearly reflections, the unit's yearly assessment and the annual appraisal result; and how
they left the pool (disqualified with a reason code, or appointed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisation.models import Official


class Level(models.TextChoices):
    SECTION_CHIEF = "section_chief", _("Section chief reserve")
    DEPUTY_SECTION = "deputy_section", _("Deputy section chief reserve")


class Stream(models.TextChoices):
    PARTY_GOVERNMENT = "party_government", _("Party and government administration")
    ECONOMIC = "economic", _("Economic management")
    TECHNICAL = "technical", _("Professional and technical")
    POLITICAL_LEGAL = "political_legal", _("Political and legal affairs")


class ReserveStatus(models.TextChoices):
    ACTIVE = "active", _("In the pool")
    DISQUALIFIED = "disqualified", _("Disqualified")
    APPOINTED = "appointed", _("Appointed")


class DisqualifyReason(models.TextChoices):
    POLITICAL = "political", _("Political, ethical or integrity problems")
    DERELICTION = "dereliction", _("Dereliction of duty")
    WEAK_PERFORMANCE = "weak_performance", _("Weak performance")
    APPRAISAL = "appraisal", _("Annual appraisal basically competent or incompetent")
    WORK_STYLE = "work_style", _("Work style problems")
    HEALTH = "health", _("Health")
    AGE = "age", _("Over the age limit")
    REFUSED_OR_FAILED = "refused_or_failed", _("Refused arrangements or dispatch, or failed the exam or defense")
    OTHER = "other", _("Other")


class AppraisalResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    COMPETENT = "competent", _("Competent")
    BASICALLY_COMPETENT = "basically_competent", _("Basically competent")
    INCOMPETENT = "incompetent", _("Incompetent")


class Reserve(models.Model):
    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="reserves"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    stream = models.CharField(_("stream"), max_length=20, choices=Stream.choices)
    decided_on = models.DateField(_("decided on"))
    decision_document = models.CharField(_("decision document"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReserveStatus.choices, default=ReserveStatus.ACTIVE)
    contact_leader = models.CharField(
        _("contact leader"), max_length=100, blank=True,
        help_text=_("A county leader for a section-chief reserve, the unit's principal for a deputy."),
    )  # fmt: skip
    left_on = models.DateField(_("left the pool on"), null=True, blank=True)
    disqualify_reason = models.CharField(
        _("reason for disqualification"), max_length=20, choices=DisqualifyReason.choices, blank=True
    )
    disqualify_note = models.CharField(_("note"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stream", "official__unit__code", "official__staff_no"]
        verbose_name = _("reserve cadre")
        verbose_name_plural = _("reserve cadres")
        constraints = [
            models.UniqueConstraint(
                fields=["official"], condition=models.Q(status="active"), name="one_active_reserve_per_official"
            )
        ]

    def __str__(self) -> str:
        return f"{self.official} {self.level} {self.stream}"


class ReserveTraining(models.Model):
    """A reserve's yearly training: the stream's `growth` class of the training organisation when there is one."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="trainings")
    year = models.PositiveSmallIntegerField(_("year"))
    training_class = models.ForeignKey(
        "courses.TrainingClass", verbose_name=_("training class"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200, blank=True)
    days = models.DecimalField(_("days"), max_digits=4, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("reserve training")
        verbose_name_plural = _("reserve trainings")
        constraints = [models.UniqueConstraint(fields=["reserve", "year"], name="one_training_per_reserve_year")]

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.year}"


class Exam(models.Model):
    """The written exam of a year. ``held_on`` is optional (the API's ``{year, score}`` stays valid); when given it
    lies in ``year`` and not after that year's defense."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="exams")
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("written exam")
        verbose_name_plural = _("written exams")
        constraints = [models.UniqueConstraint(fields=["reserve", "year"], name="one_exam_per_reserve_year")]

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.year} {self.score}"


class Defense(models.Model):
    """An oral defense: the vote counts here, each examiner's score its own row; the scores are computed by
    ``reserve_cadres.rules.defense_result`` and stored exactly (shown with two decimals)."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="defenses")
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    excellent = models.PositiveSmallIntegerField(_("excellent votes"))
    competent = models.PositiveSmallIntegerField(_("competent votes"))
    basically_competent = models.PositiveSmallIntegerField(_("basically competent votes"))
    incompetent = models.PositiveSmallIntegerField(_("incompetent votes"))
    panel_score = models.DecimalField(_("panel score"), max_digits=12, decimal_places=8)
    vote_score = models.DecimalField(_("vote score"), max_digits=12, decimal_places=8)
    score = models.DecimalField(_("defense score"), max_digits=12, decimal_places=8)
    passed = models.BooleanField(_("passed"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("oral defense")
        verbose_name_plural = _("oral defenses")
        constraints = [models.UniqueConstraint(fields=["reserve", "year"], name="one_defense_per_reserve_year")]

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.year} {self.score}"


class ExaminerScore(models.Model):
    defense = models.ForeignKey(Defense, on_delete=models.CASCADE, related_name="examiner_scores")
    position = models.PositiveSmallIntegerField(_("examiner"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["position"]
        verbose_name = _("examiner's score")
        verbose_name_plural = _("examiners' scores")
        constraints = [models.UniqueConstraint(fields=["defense", "position"], name="one_score_per_examiner")]

    def __str__(self) -> str:
        return f"{self.defense_id} {self.position} {self.score}"


class PracticeKind(models.TextChoices):
    ROTATION = "rotation", _("Rotation")
    SECONDMENT = "secondment", _("Secondment")


class Practice(models.Model):
    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="practices")
    kind = models.CharField(_("kind"), max_length=16, choices=PracticeKind.choices)
    place = models.CharField(_("where"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("practice")
        verbose_name_plural = _("practice")

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.kind} {self.place}"


class Talk(models.Model):
    """A talk with the reserve's contact leader."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="talks")
    held_on = models.DateField(_("date"))
    leader = models.CharField(_("contact leader"), max_length=100)
    note = models.CharField(_("note"), max_length=1000, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["held_on"]
        verbose_name = _("talk")
        verbose_name_plural = _("talks")

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.held_on}"


class Reflection(models.Model):
    """The reflection article of a half year (``period`` "2026H1"), due at the end of that half year."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="reflections")
    period = models.CharField(_("half year"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="reserves/%Y/", blank=True)
    file_type = models.CharField(max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["period"]
        verbose_name = _("reflection article")
        verbose_name_plural = _("reflection articles")
        constraints = [models.UniqueConstraint(fields=["reserve", "period"], name="one_reflection_per_half_year")]

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.period}"


class YearlyAssessment(models.Model):
    """The unit's yearly assessment of the reserve (due by 25 December) with the annual appraisal result."""

    reserve = models.ForeignKey(Reserve, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    result = models.CharField(_("annual appraisal"), max_length=20, choices=AppraisalResult.choices)
    comment = models.TextField(_("assessment"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("yearly assessment")
        verbose_name_plural = _("yearly assessments")
        constraints = [models.UniqueConstraint(fields=["reserve", "year"], name="one_assessment_per_reserve_year")]

    def __str__(self) -> str:
        return f"{self.reserve_id} {self.year} {self.result}"
