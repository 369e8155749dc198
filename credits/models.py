"""Activity records, exemptions, vetoes, the year → policy table and the stored annual scores."""

from __future__ import annotations

import functools
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from organisation.models import Official, Unit

from .rules import ALL_CATEGORIES, ALL_KINDS, DEFAULT_POLICY, POLICIES

# Every category and kind of every credit policy (credits.rules): a record may be of any of them whatever its year's
# policy. The words come from the policies; Category.OFFJOB, Kind.CLASS_DAY … are the codes.
Category = models.TextChoices(
    "Category", [(code.upper(), (code, gettext_lazy(spec.label))) for code, spec in ALL_CATEGORIES.items()]
)
Kind = models.TextChoices(
    "Kind", [(code.upper(), (code, gettext_lazy(spec.label))) for code, spec in ALL_KINDS.items()]
)


class Source(models.TextChoices):
    ENTERED = "entered", _("Entered")
    DECLARED = "declared", _("Declared")
    IMPORTED = "imported", _("Imported")
    GENERATED = "generated", _("Generated")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExemptionReason(models.TextChoices):
    SICK_LEAVE = "sick_leave", _("Sick or personal leave over 6 months")
    RETIRING = "retiring", _("Year of retirement")
    NEW_SHORT = "new_short", _("Newly included, under 6 assessable months")
    SECONDMENT_LONG = "secondment_long", _("Seconded 6 months or more")
    OTHER = "other", _("Other case decided by the organization department")


class VetoReason(models.TextChoices):
    ABSENT_FROM_DISPATCH = "absent_from_dispatch", _("Absent without reason from dispatched training")
    DISCIPLINE = "discipline", _("Serious breach of training discipline")


class EvidenceType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


@functools.cache
def _choice_labels(choices: type[models.TextChoices], language: str | None) -> dict[str, str]:
    with translation.override(language):
        return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """The label of ``value`` in the active language (the value itself when unknown), as get_FOO_display."""
    return _choice_labels(choices, translation.get_language()).get(value, value)


class ActivityRecord(models.Model):
    official = models.ForeignKey(Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=7, decimal_places=1)
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Points set on the record: discretionary points, a course's value, a class scored below standard."),
    )
    hours = models.DecimalField(
        _("study hours"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("Study hours as entered; when blank, the kind's default hours per unit (RULES §3)."),
    )
    class_passed = models.BooleanField(
        _("class result passed"), default=True, help_text=_("Training class days count only when passed.")
    )
    occurred_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)
    # What the evidence file was found to be by parsing it (credits/evidence.py); it is served as that type.
    # Blank for no file, or for a file stored before the check that ``manage.py recheck_evidence`` has not seen yet.
    evidence_type = models.CharField(
        _("evidence type"), max_length=8, choices=EvidenceType.choices, blank=True, default="", db_default=""
    )
    session = models.ForeignKey(
        "GroupStudySession",
        verbose_name=_("central-group session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.ENTERED)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        permissions = [("review_activityrecord", _("Can approve and reject records and decide cases"))]
        indexes = [
            # The year's aggregation reads approved records by date; the official's page by official and date.
            models.Index(fields=["occurred_on"], name="record_approved_date", condition=models.Q(status="approved")),
            models.Index(fields=["official", "occurred_on"], name="record_official_date"),
            models.Index(fields=["status", "occurred_on"], name="record_status_date"),
            # The approval queue: waiting records, oldest declaration first, 50 a page.
            models.Index(
                fields=["created_at", "id"], name="record_waiting_declared", condition=models.Q(status="submitted")
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="record_quantity_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.official_id} {self.kind} {self.occurred_on}"

    # Django's get_FOO_display builds a dict of the lazily translated choices on every call (hashing each label
    # translates it): ~0.15 ms a call, a fifth of 我的学分's CPU with 70 records (bench/load.py --profile). The same
    # labels from a dict built once per language.
    def get_kind_display(self) -> str:
        return choice_label(Kind, self.kind)

    def get_category_display(self) -> str:
        return choice_label(Category, self.category)

    def get_source_display(self) -> str:
        return choice_label(Source, self.source)

    def get_status_display(self) -> str:
        return choice_label(Status, self.status)


class GroupStudySession(models.Model):
    """A unit party committee's central-group study session (中心组学习), entered once for all attendees.

    Each attendee gets an ``ActivityRecord`` (speaker or listener) pointing here; the unit's sessions of a year
    are counted against the 12 required (RULES §1.8).
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="group_sessions")
    occurred_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("central-group session")
        verbose_name_plural = _("central-group sessions")
        indexes = [models.Index(fields=["unit", "occurred_on"], name="session_unit_date")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.occurred_on} {self.topic}"


class PublishedYear(models.Model):
    """A year whose results the training section has published: its records and decisions are locked.

    Reopening deletes this row; the reason is kept in the audit trail.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("published year")
        verbose_name_plural = _("published years")

    def __str__(self) -> str:
        return str(self.year)


class Exemption(models.Model):
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="exemptions")
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=16, choices=ExemptionReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [models.UniqueConstraint(fields=["official", "year"], name="one_exemption_per_year")]

    def __str__(self) -> str:
        return f"{self.official_id} {self.year} {self.reason}"


class Veto(models.Model):
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="vetoes")
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.CharField(_("reason"), max_length=32, choices=VetoReason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("veto")
        verbose_name_plural = _("vetoes")
        constraints = [models.UniqueConstraint(fields=["official", "year", "reason"], name="one_veto_per_reason")]

    def __str__(self) -> str:
        return f"{self.official_id} {self.year} {self.reason}"


class YearPolicy(models.Model):
    """Which credit policy assesses a year; a year with no row uses the default policy."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    policy = models.CharField(
        _("policy"), max_length=32, choices=[(code, code) for code in POLICIES], default=DEFAULT_POLICY
    )

    class Meta:
        verbose_name = _("year policy")
        verbose_name_plural = _("year policies")

    def __str__(self) -> str:
        return f"{self.year}: {self.policy}"


class AnnualScore(models.Model):
    """An official's assessed year, as last computed from approved records."""

    # No index of its own: the unique (official, year) index starts with it and serves every lookup by official
    # (a whole year's recompute writes 100,000 rows; each index is one more write per row).
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="scores", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", help_text=_("Unit when computed."))
    policy = models.CharField(_("policy"), max_length=32)
    exempt = models.BooleanField(_("exempt"), default=False)
    exempt_reason = models.CharField(_("exemption reason"), max_length=16, blank=True)
    # Category results as the year's policy gives them: {code: {"score": "12.5", "passed": true|false|null}}.
    categories = models.JSONField(default=dict)
    # Policy-specific figures beside the categories (baoji-2009: earned, carry in/out, effective, the cycle).
    figures = models.JSONField(default=dict)
    # What the next year reads of this one (credits.rules.PreviousYear.encode): when it changes, so may the next year.
    chain = models.CharField(max_length=100, blank=True, default="")
    total = models.DecimalField(
        _("total"), max_digits=6, decimal_places=1, default=0, help_text=_("What ranks the year (Baoji: effective).")
    )
    grade = models.CharField(_("grade"), max_length=16, blank=True)
    vetoes = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    city_rank = models.PositiveIntegerField(null=True)
    unit_rank = models.PositiveIntegerField(null=True)
    # What the result was assessed from (credits.rules.inputs): the explanation is made from it when read.
    inputs = models.TextField(blank=True, default="")
    # The explanation as stored before scores kept their inputs; emptied when the score is next recomputed.
    legacy_explanation = models.JSONField(null=True, blank=True, default=None)
    computed_at = models.DateTimeField()
    digest = models.CharField(
        max_length=32, blank=True, help_text=_("Hash of the result; unchanged rows are not rewritten.")
    )

    class Meta:
        verbose_name = _("annual score")
        verbose_name_plural = _("annual scores")
        ordering = ["year", "city_rank"]
        constraints = [models.UniqueConstraint(fields=["official", "year"], name="one_score_per_year")]
        indexes = [models.Index(fields=["year", "unit"], name="score_year_unit")]

    def __str__(self) -> str:
        return f"{self.official_id} {self.year}: {self.total}"

    @cached_property
    def explanation(self) -> dict:
        """Why the result is what it is, as the result's policy explains its stored inputs (see ``inputs``)."""
        from .policies import explanation_of

        return explanation_of(policy=self.policy, year=self.year, inputs=self.inputs, legacy=self.legacy_explanation)

    def category_score(self, code: str) -> Decimal | None:
        """The stored score of one category of the result's policy (None when the policy has no such category)."""
        found = (self.categories or {}).get(code)
        return Decimal(found["score"]) if found else None

    def category_passed(self, code: str) -> bool | None:
        return ((self.categories or {}).get(code) or {}).get("passed")


class StaleScore(models.Model):
    """An (official, year) whose inputs changed after its score was computed.

    Written in the same transaction as the change, so a lost task or a down broker loses nothing:
    the recompute task drains these rows and the periodic reconciliation picks up any left behind.
    """

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["official", "year"], name="one_stale_mark")]

    def __str__(self) -> str:
        return f"{self.official_id} {self.year}"


class RankingDue(models.Model):
    """A year whose scores changed since it was last ranked.

    Written in the same transaction as the scores it follows, deleted in the ranking's own transaction: a ranking
    that failed (or never ran, the broker being down) leaves the mark, and the periodic reconciliation ranks again.
    """

    year = models.PositiveSmallIntegerField(unique=True)
    marked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.year)


class RecomputeJob(models.Model):
    """A whole-year recompute, persisted so its progress can be polled.

    The worker that claims it beats ``heartbeat_at`` while it runs; the reconciliation starts a job pending too
    long (the broker refused it) or running with a silent heartbeat (its worker died).
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    year = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done."))
    officials = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True)
    heartbeat_at = models.DateTimeField(
        default=timezone.now, help_text=_("Last sign of life: asked for, handed to the worker, started or running.")
    )
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("How many times a worker started it."))

    class Meta:
        indexes = [
            models.Index(
                fields=["heartbeat_at"],
                name="recompute_job_unfinished",
                condition=models.Q(state__in=["pending", "running"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.state} {self.progress}%"
