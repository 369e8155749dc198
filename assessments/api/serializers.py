"""The scorecards' API bodies. Answers are built from plain dicts (``template_data``, ``card_data``) so the list,
the card and the answers of the actions read the same fields; the serializers document them (and check input)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from kunshan_training.years import YearSerializerField
from organisation.models import Unit

from .. import engine
from ..models import CardStatus, ItemEvidence, Scorecard, ScorecardTemplate
from ..selectors.cards import FACTS, engine_template

# ---------------------------------------------------------------------------------------------------
# Templates


class CriterionSerializer(serializers.Serializer):
    code = serializers.CharField()
    points = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    title = serializers.CharField()


class StepSerializer(serializers.Serializer):
    minimum = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    points = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)


class TemplateItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    max = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    method = serializers.ChoiceField(choices=engine.METHODS)
    per = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True,
                                   help_text="deduction: points off per entered shortfall")  # fmt: skip
    computed = serializers.CharField(allow_null=True, help_text="deduction: the data source of computed shortfalls")
    computed_per = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)
    entered = serializers.BooleanField(help_text="deduction: false when every shortfall comes from the data")
    criteria = serializers.ListField(child=serializers.CharField(), help_text="criteria: the criteria's codes")
    criteria_points = CriterionSerializer(many=True, help_text="criteria: each criterion's points and title")
    steps = StepSerializer(many=True, help_text="ladder: the steps, highest minimum first")
    options = CriterionSerializer(many=True, help_text="choice: the options")
    requires = serializers.CharField(allow_null=True, help_text="bonus: counts only with this bonus item awarded")


class TemplateSectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    items = TemplateItemSerializer(many=True)


class RequiredCardSerializer(serializers.Serializer):
    template = serializers.CharField()
    tier = serializers.CharField()


class TierSerializer(serializers.Serializer):
    code = serializers.CharField()
    minimum = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    title = serializers.CharField()
    requires_card = RequiredCardSerializer(allow_null=True)
    excluded_appraisals = serializers.ListField(child=serializers.CharField())


class DueDateSerializer(serializers.Serializer):
    code = serializers.CharField()
    month = serializers.IntegerField()
    day = serializers.IntegerField()
    title = serializers.CharField()


class ScorecardTemplateSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    version = serializers.IntegerField()
    active = serializers.BooleanField()
    appraisal = serializers.BooleanField(help_text="The card carries the team's annual appraisal.")
    sections = TemplateSectionSerializer(many=True)
    tiers = TierSerializer(many=True)
    due_dates = DueDateSerializer(many=True)


def _coded(entries) -> list[dict]:
    return [{"code": e.code, "points": e.points, "title": e.title} for e in entries]


def template_data(template: ScorecardTemplate) -> dict:
    parsed = engine_template(template)
    sections = [
        {
            "code": section.code,
            "title": section.title,
            "items": [
                {
                    "code": item.code,
                    "title": item.title,
                    "max": item.max,
                    "method": item.method,
                    "per": item.per,
                    "computed": item.computed,
                    "computed_per": item.computed_per,
                    "entered": item.entered,
                    "criteria": [c.code for c in item.criteria],
                    "criteria_points": _coded(item.criteria),
                    "steps": [{"minimum": s.minimum, "points": s.points} for s in item.steps],
                    "options": _coded(item.options),
                    "requires": item.requires,
                }  # fmt: skip
                for item in section.items
            ],
        }
        for section in parsed.sections
    ]
    tiers = [
        {
            "code": tier.code,
            "minimum": tier.minimum,
            "title": tier.title,
            "requires_card": {"template": tier.requires_card[0], "tier": tier.requires_card[1]}
            if tier.requires_card
            else None,
            "excluded_appraisals": list(tier.excluded_appraisals),
        }  # fmt: skip
        for tier in parsed.tiers
    ]
    dues = [{"code": d.code, "month": d.month, "day": d.day, "title": d.title} for d in parsed.due_dates]
    return {"code": template.code, "name": template.name, "version": template.version, "active": template.active,
            "appraisal": parsed.appraisal, "sections": sections, "tiers": tiers, "due_dates": dues}  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Cards


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The sender's file name (shown only).")
    file_type = serializers.CharField(help_text="pdf, jpeg or png: what the file was found to be.")
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField(help_text="Download (as an attachment).")


class CardItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    section = serializers.CharField()
    title = serializers.CharField()
    method = serializers.ChoiceField(choices=engine.METHODS)
    max = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False,
        help_text="From the final value (nothing entered: a deduction item full).",
    )  # fmt: skip
    self_score = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True,
        help_text="From the unit's self-check value; null until one is entered.",
    )  # fmt: skip
    computed = serializers.IntegerField(
        allow_null=True, help_text="Shortfalls computed from the data (computed items)."
    )
    self_value = serializers.JSONField(allow_null=True)
    self_note = serializers.CharField(allow_blank=True)
    final_value = serializers.JSONField(allow_null=True)
    comment = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    evidence = EvidenceSerializer(many=True)


class SubmissionSerializer(serializers.Serializer):
    period = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class CardSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=CardStatus.choices)
    base = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    bonus = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    total = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    tier = serializers.CharField()
    self_total = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, allow_null=True)


class ScorecardSerializer(CardSummarySerializer):
    template = serializers.CharField(help_text="Template code.")
    template_name = serializers.CharField()
    unit = serializers.CharField(help_text="Unit code.")
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    team_appraisal = serializers.CharField(allow_blank=True, help_text="excellent, good, average, poor or empty.")
    return_reason = serializers.CharField(allow_blank=True)
    tier_title = serializers.CharField()
    computed = serializers.DictField(child=serializers.IntegerField(), help_text="Computed source: shortfalls.")
    facts = serializers.DictField(help_text="The unit's year: central-group sessions against 12, officials trained.")
    submissions = SubmissionSerializer(many=True)
    overdue = serializers.ListField(child=serializers.CharField(), help_text="Due periods whose report is late.")
    self_check_open = serializers.BooleanField(help_text="Whether the unit may change its self-check now.")
    finalised_at = serializers.DateTimeField(allow_null=True)
    items = CardItemSerializer(many=True)


class CardItemAnswerSerializer(CardItemSerializer):
    card = CardSummarySerializer(help_text="The card as scored after the change.")


def evidence_data(evidence: ItemEvidence, card_id: int, code: str) -> dict:
    url = reverse("scorecard-evidence-file", kwargs={"pk": card_id, "code": code, "eid": evidence.pk})
    return {"id": evidence.pk, "name": evidence.original_name, "file_type": evidence.file_type,
            "uploaded_at": evidence.uploaded_at, "url": url}  # fmt: skip


def summary_data(card: Scorecard) -> dict:
    return {"id": card.pk, "status": card.status, "base": card.base, "bonus": card.bonus, "total": card.total,
            "tier": card.tier, "self_total": card.self_total}  # fmt: skip


def item_data(card: Scorecard, item: engine.Item, section: engine.Section, row, evidence) -> dict:
    return {
        "code": item.code, "section": section.code, "title": item.title, "method": item.method, "max": item.max,
        "score": row.score, "self_score": row.self_score, "computed": row.computed, "self_value": row.self_value,
        "self_note": row.self_note, "final_value": row.final_value, "comment": row.comment,
        "explanation": row.explanation, "evidence": [evidence_data(e, card.pk, item.code) for e in evidence],
    }  # fmt: skip


def card_data(card: Scorecard, *, overdue: list[str], self_check_open: bool) -> dict:
    """The card with its items in the template's order (``card`` prefetched: items with evidence, submissions)."""
    template = engine_template(card.template)
    rows = {row.code: row for row in card.items.all()}
    items = []
    for section in template.sections:
        for item in section.items:
            row = rows.get(item.code)
            if row is not None:
                items.append(item_data(card, item, section, row, row.evidence.all()))
    tier = next((t for t in template.tiers if t.code == card.tier), None)
    computed = {k: v for k, v in (card.computed or {}).items() if k != FACTS and isinstance(v, int)}
    return {
        **summary_data(card),
        "template": card.template.code, "template_name": card.template.name, "unit": card.unit.code,
        "unit_name": card.unit.name, "year": card.year, "team_appraisal": card.team_appraisal,
        "return_reason": card.return_reason, "tier_title": (tier.title if tier else "") or card.tier,
        "computed": computed, "facts": (card.computed or {}).get(FACTS, {}),
        "submissions": [{"period": s.period, "submitted_at": s.submitted_at} for s in card.submissions.all()],
        "overdue": overdue, "self_check_open": self_check_open, "finalised_at": card.finalised_at, "items": items,
    }  # fmt: skip


# ---------------------------------------------------------------------------------------------------
# Input


class CardCreateSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(slug_field="code", queryset=ScorecardTemplate.objects.all(),
                                            help_text="Template code, e.g. benxi-2010.")  # fmt: skip
    unit = serializers.SlugRelatedField(slug_field="code", queryset=Unit.objects.all(), help_text="Unit code.")
    year = YearSerializerField()


class CardUpdateSerializer(serializers.Serializer):
    team_appraisal = serializers.ChoiceField(choices=[*engine.TEAM_APPRAISALS, ""],
                                             help_text="The team's annual appraisal; empty clears it.")  # fmt: skip


VALUE_KEYS = tuple(engine.METHOD_KEYS.values())


class ItemValueSerializer(serializers.Serializer):
    """One of the method's keys (null clears the value) and an optional note: the training section's final value
    and comment, the unit administrator's self-check value and note."""

    shortfalls = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True,
                                          help_text="deduction: shortfalls found (entered part)")  # fmt: skip
    met = serializers.ListField(child=serializers.CharField(max_length=32), max_length=50, required=False,
                                allow_null=True, help_text="criteria: the codes of the criteria met")  # fmt: skip
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True,
                                       help_text="ladder: a percentage from 0 to 100")  # fmt: skip
    choice = serializers.CharField(max_length=32, required=False, allow_null=True, help_text="choice: an option code")
    points = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True,
                                      help_text="manual: 0 to the item's max, in halves")  # fmt: skip
    awarded = serializers.BooleanField(required=False, allow_null=True, help_text="bonus: awarded or not")
    note = serializers.CharField(
        max_length=1000, required=False, allow_blank=True,
        help_text="The unit's note (self-check) or the reviewer's comment (final value).",
    )  # fmt: skip

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields)) if hasattr(self.initial_data, "keys") else []
        if unknown:
            raise serializers.ValidationError({key: [_("Unknown field.")] for key in unknown})
        given = [key for key in VALUE_KEYS if key in attrs]
        if len(given) > 1:
            raise serializers.ValidationError({"non_field_errors": [_("Send one value: %(keys)s.") % {
                "keys": ", ".join(given)}]})  # fmt: skip
        if not given and "note" not in attrs:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Send the item's value (%(keys)s) or a note.") % {"keys": ", ".join(VALUE_KEYS)}
                    ]
                }
            )
        return attrs


class SubmitSerializer(serializers.Serializer):
    period = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        help_text="half_year or full_year (Benxi); by default the next one due.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A PDF, JPEG or PNG file.")


class RankingSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    card = serializers.IntegerField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    total = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False)
    tier = serializers.CharField()
    status = serializers.ChoiceField(choices=CardStatus.choices)


class OverdueSerializer(serializers.Serializer):
    card = serializers.IntegerField()
    template = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    period = serializers.CharField()
    due_on = serializers.DateField()
