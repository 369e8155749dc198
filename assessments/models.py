"""Unit scorecards (RULES §4): templates stored as data, one card per (template, unit, year) with its items'
self-check and final values, evidence, self-check submissions per due date, and the computed facts of the data.

Scores are never typed in: ``Scorecard.total``/``tier`` and each item's ``score``/``self_score`` are what
``assessments.engine`` makes of the entered values and the computed shortfalls; the services store them so the board
and the rankings read one row per card."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisation.models import Unit


class ScorecardTemplate(models.Model):
    """A scorecard template (RULES §4): its sections, items, tiers and due dates as JSON read by the engine
    (``engine.template_from_data``). Versioned by code: a changed template is a new code (``benxi-2010`` …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    definition = models.JSONField(_("definition"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")

    def __str__(self) -> str:
        return self.name


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("Self-check in progress")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned to the unit")
    FINAL = "final", _("Finalised")


class TeamAppraisal(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    AVERAGE = "average", _("Average")
    POOR = "poor", _("Poor")


class Scorecard(models.Model):
    template = models.ForeignKey(
        ScorecardTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="cards"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="scorecards")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=16, choices=CardStatus.choices, default=CardStatus.DRAFT)
    team_appraisal = models.CharField(
        _("team's annual appraisal"), max_length=16, choices=TeamAppraisal.choices, blank=True
    )
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    # What the engine made of the final values (stored for the board and the rankings).
    base = models.DecimalField(_("points"), max_digits=5, decimal_places=1, default=0)
    bonus = models.DecimalField(_("bonus points"), max_digits=5, decimal_places=1, default=0)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1, default=0)
    tier = models.CharField(_("tier"), max_length=32, blank=True)
    self_total = models.DecimalField(_("self-check total"), max_digits=5, decimal_places=1, null=True, blank=True)
    # The data behind computed items and the year's facts (RULES §4 item 4): {source: count, "facts": {...}}.
    computed = models.JSONField(_("computed from the data"), default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["year", "template__code", "unit__code"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.UniqueConstraint(fields=["template", "unit", "year"], name="one_card_per_unit_year")]
        indexes = [models.Index(fields=["year", "template"], name="card_year_template")]

    def __str__(self) -> str:
        return f"{self.template_id} {self.unit_id} {self.year}"


class ScorecardItem(models.Model):
    """One item of a card: the unit's self-check value and note, the training section's final value and comment,
    as the engine's input (``engine.ItemValue`` as JSON), and the scores the engine gave them."""

    card = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("item"), max_length=16)
    self_value = models.JSONField(_("self-check value"), null=True, blank=True)
    self_note = models.CharField(_("self-check note"), max_length=1000, blank=True)
    self_score = models.DecimalField(_("self-check score"), max_digits=5, decimal_places=1, null=True, blank=True)
    final_value = models.JSONField(_("final value"), null=True, blank=True)
    comment = models.CharField(_("reviewer's comment"), max_length=1000, blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)
    computed = models.PositiveIntegerField(_("computed shortfalls"), null=True, blank=True)
    explanation = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["card", "pk"]
        verbose_name = _("scorecard item")
        verbose_name_plural = _("scorecard items")
        constraints = [models.UniqueConstraint(fields=["card", "code"], name="one_item_per_code")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.code}"


class ItemEvidence(models.Model):
    """An evidence file of a self-check item: checked by parsing it (PDF, JPEG, PNG), served only after the
    scope check, never inline as a page."""

    item = models.ForeignKey(ScorecardItem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="scorecards/%Y/")
    file_type = models.CharField(_("file type"), max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class SelfCheckSubmission(models.Model):
    """A self-check report handed in for one of the template's due dates (Benxi: half year by 31 July, full year
    by 30 November)."""

    card = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="submissions")
    period = models.CharField(_("report"), max_length=16)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("self-check report")
        verbose_name_plural = _("self-check reports")
        constraints = [models.UniqueConstraint(fields=["card", "period"], name="one_submission_per_period")]

    def __str__(self) -> str:
        return f"{self.card_id} {self.period}"
