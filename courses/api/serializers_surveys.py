"""Serializers of the surveys and follow-up API: what a request may send (types and bounds checked here in plain
words; the rules in the services) and what the answers hold. A result never names a respondent: the result
serializers read courses.selectors.surveys' dataclasses, which hold counts, shares, means and texts only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from organisation.models import Rank, Unit

from .. import followup_rules, survey_rules
from ..models import (
    FollowUpMethod,
    FollowUpOutcome,
    NeedLevel,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnairePurpose,
    QuestionTopic,
)
from .serializers_classes import ClassDateField

SHARE = {"max_digits": 4, "decimal_places": 1, "coerce_to_string": False}
MEAN = {"max_digits": 3, "decimal_places": 2, "coerce_to_string": False, "allow_null": True}
CHANGE = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": False, "allow_null": True}
# An item's state (followup_rules.item_state): not_yet, due, overdue or done.
STATE_HELP = _("not_yet, due (within 14 days of its date), overdue or done.")


# ---------------------------------------------------------------------------------------------------
# Questionnaires


class QuestionSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(
        help_text=_("content, methods, channels, timing, quality, teaching, organisation, other; empty when not said.")
    )
    need = serializers.CharField(help_text=_("organisational, post or individual; empty when not said."))

    class Meta:
        model = Question
        fields = ["id", "order", "kind", "text", "choices", "required", "topic", "need", "per_session"]
        read_only_fields = fields


class QuestionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(max_length=survey_rules.MAX_QUESTION_LENGTH)
    choices = serializers.ListField(
        child=serializers.CharField(max_length=survey_rules.MAX_CHOICE_LENGTH, allow_blank=True),
        max_length=survey_rules.MAX_CHOICES,
        required=False,
        default=list,
        help_text=_("The options of a choice question (2 to 20); empty for a scale or a text."),
    )
    required = serializers.BooleanField(required=False, default=True)
    topic = serializers.ChoiceField(choices=QuestionTopic.choices, required=False, allow_blank=True, default="")
    need = serializers.ChoiceField(choices=NeedLevel.choices, required=False, allow_blank=True, default="")
    per_session = serializers.BooleanField(required=False, default=False)


class QuestionnaireSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)
    in_use = serializers.SerializerMethodField(help_text=_("A survey of it has answers: its questions are fixed."))

    class Meta:
        model = Questionnaire
        fields = ["code", "title", "purpose", "description", "builtin", "in_use", "questions"]
        read_only_fields = fields

    def get_in_use(self, questionnaire) -> bool:
        return bool(getattr(questionnaire, "answered", False))


class QuestionnaireCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    title = serializers.CharField(max_length=200)
    purpose = serializers.ChoiceField(
        choices=[c for c in QuestionnairePurpose.choices if c[0] != QuestionnairePurpose.CLASS_EVALUATION]
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    questions = QuestionInputSerializer(many=True, allow_empty=False, max_length=survey_rules.MAX_QUESTIONS)


class QuestionnaireUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    questions = QuestionInputSerializer(
        many=True,
        allow_empty=False,
        max_length=survey_rules.MAX_QUESTIONS,
        required=False,
        help_text=_("All the questions, replacing the old ones."),
    )


class QuestionnaireCopySerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=32)
    title = serializers.CharField(max_length=200)


# ---------------------------------------------------------------------------------------------------
# Surveys


class ParticipationSerializer(serializers.Serializer):
    asked = serializers.IntegerField()
    answered = serializers.IntegerField()
    rate = serializers.DecimalField(
        max_digits=4, decimal_places=1, coerce_to_string=False, help_text=_("Per cent of those asked.")
    )


class SurveySerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    questionnaire = serializers.CharField(source="questionnaire.code")
    questionnaire_title = serializers.CharField(source="questionnaire.title")
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    units = serializers.SerializerMethodField(help_text=_("Codes of the units asked (empty: all)."))
    ranks = serializers.ListField(child=serializers.CharField(), help_text=_("Ranks asked (empty: all)."))
    training_class = serializers.CharField(
        source="training_class.code",
        allow_null=True,
        default=None,
        help_text=_("The class evaluated, for a class evaluation."),
    )
    is_class_evaluation = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField(help_text=_("not_open, open or closed (today)."))
    answered = serializers.SerializerMethodField(
        help_text=_("Whether the requesting official has answered it (null for the training section).")
    )

    def get_units(self, survey) -> list[str]:
        return [u.code for u in survey.units.all()]

    def get_is_class_evaluation(self, survey) -> bool:
        return survey.training_class_id is not None

    def get_state(self, survey) -> str:
        from ..selectors.surveys import survey_state

        return survey_state(survey, self.context["today"])

    def get_answered(self, survey) -> bool | None:
        answered = self.context.get("answered")
        return None if answered is None else survey.pk in answered


class SurveyDetailSerializer(SurveySerializer):
    participation = ParticipationSerializer(
        source="participation_counts", allow_null=True, help_text=_("Counts only (the training section).")
    )
    responses = serializers.DictField(
        source="responses_by_period",
        child=serializers.IntegerField(),
        allow_null=True,
        help_text=_("Responses per half year (the training section)."),
    )


class UnitCodesField(serializers.ListField):
    child = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Unit.objects.all(),
        error_messages={"does_not_exist": _("There is no unit with code “{value}”.")},
    )


class SurveyCreateSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    title = serializers.CharField(max_length=200)
    questionnaire = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Questionnaire.objects.all(),
        error_messages={"does_not_exist": _("There is no questionnaire with code “{value}”.")},
    )
    opens_on = ClassDateField()
    closes_on = ClassDateField()
    units = UnitCodesField(required=False, default=list, max_length=500)
    ranks = serializers.ListField(
        child=serializers.ChoiceField(choices=Rank.choices), required=False, default=list, max_length=len(Rank.choices)
    )


class SurveyUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    opens_on = ClassDateField(required=False)
    closes_on = ClassDateField(required=False)
    units = UnitCodesField(required=False, max_length=500)
    ranks = serializers.ListField(
        child=serializers.ChoiceField(choices=Rank.choices), required=False, max_length=len(Rank.choices)
    )


class FormChoiceSerializer(serializers.Serializer):
    value = serializers.IntegerField(help_text=_("What to send: the option's index, or the scale value."))
    label = serializers.CharField()


class FormSessionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(help_text=_("The session's course or topic and teacher."))


class FormQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    order = serializers.IntegerField(source="question.order")
    kind = serializers.ChoiceField(source="question.kind", choices=QuestionKind.choices)
    text = serializers.CharField(source="question.text")
    required = serializers.BooleanField(source="question.required")
    key = serializers.CharField(allow_null=True, help_text=_("The answer's key; null for a per-session question."))
    sessions = FormSessionSerializer(many=True, help_text=_("One key per class session (per-session questions)."))
    choices = serializers.SerializerMethodField()

    @extend_schema_field(FormChoiceSerializer(many=True))
    def get_choices(self, item):
        return [{"value": value, "label": label} for value, label in item.choices]


class SurveyFormSerializer(serializers.Serializer):
    survey = serializers.CharField()
    title = serializers.CharField()
    closes_on = serializers.DateField()
    answered = serializers.BooleanField(allow_null=True)
    questions = FormQuestionSerializer(many=True)


class AnswersSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=False,
        help_text=_(
            "Question key → answer: an option's index (single choice), a list of indexes (multiple choice), 1–5 "
            "(scale) or text; keys as the form gives them (q12, or q12s40 for session 40)."
        ),
    )


class ConflictSerializer(serializers.Serializer):
    """409: the official has answered before (the same words as the page)."""

    detail = serializers.CharField()


class AnsweredSerializer(serializers.Serializer):
    survey = serializers.CharField()
    answered = serializers.BooleanField()


# ---------------------------------------------------------------------------------------------------
# Results


class ChoiceTallySerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.DecimalField(help_text=_("Per cent of the respondents."), **SHARE)


class QuestionResultSerializer(serializers.Serializer):
    respondents = serializers.IntegerField()
    shown = serializers.BooleanField(help_text=_("False under 5 respondents: nothing else is given."))
    choices = ChoiceTallySerializer(many=True)
    mean = serializers.DecimalField(**MEAN)
    texts = serializers.ListField(child=serializers.CharField(), help_text=_("Free texts, sorted."))


class GroupResultSerializer(serializers.Serializer):
    group = serializers.CharField()
    label = serializers.CharField()
    respondents = serializers.IntegerField()
    shown = serializers.BooleanField()
    result = QuestionResultSerializer(allow_null=True)


class QuestionBlockSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    order = serializers.IntegerField(source="question.order")
    kind = serializers.CharField(source="question.kind")
    text = serializers.CharField(source="question.text")
    topic = serializers.CharField(source="question.topic")
    need = serializers.CharField(source="question.need")
    result = QuestionResultSerializer()
    groups = GroupResultSerializer(many=True)


class GroupSerializer(serializers.Serializer):
    group = serializers.CharField()
    label = serializers.CharField()
    respondents = serializers.IntegerField()
    shown = serializers.BooleanField()


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.CharField(source="survey.code")
    period = serializers.CharField(allow_null=True)
    by = serializers.CharField(source="breakdown", allow_null=True)
    respondents = serializers.IntegerField()
    groups = serializers.SerializerMethodField()
    questions = QuestionBlockSerializer(many=True)

    @extend_schema_field(GroupSerializer(many=True))
    def get_groups(self, results):
        return [{"group": g, "label": label, "respondents": n, "shown": shown} for g, label, n, shown in results.groups]


class ComparisonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    order = serializers.IntegerField(source="question.order")
    kind = serializers.CharField(source="question.kind")
    text = serializers.CharField(source="question.text")
    now = QuestionResultSerializer()
    before = QuestionResultSerializer(allow_null=True)
    share_changes = serializers.ListField(
        child=serializers.DecimalField(**CHANGE),
        help_text=_("Per option, in percentage points (null: not comparable)."),
    )
    mean_change = serializers.DecimalField(**CHANGE)


class FreeTextsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    answers = serializers.ListField(child=serializers.CharField())


class HalfYearSummarySerializer(serializers.Serializer):
    survey = serializers.CharField(source="survey.code")
    title = serializers.CharField(source="survey.title")
    period = serializers.CharField()
    period_label = serializers.SerializerMethodField()
    previous_period = serializers.CharField()
    respondents = serializers.IntegerField(source="results.respondents")
    previous_respondents = serializers.IntegerField(source="previous.respondents")
    questions = ComparisonSerializer(many=True)
    texts = serializers.SerializerMethodField()

    def get_period_label(self, summary) -> str:
        return summary.period.label()

    @extend_schema_field(FreeTextsSerializer(many=True))
    def get_texts(self, summary):
        return [{"id": q.pk, "text": q.text, "answers": texts} for q, texts in summary.texts]


# ---------------------------------------------------------------------------------------------------
# Class evaluation and follow-up


class GroupMeanSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    text = serializers.CharField()
    mean = serializers.DecimalField(**MEAN)


class GroupMeansSerializer(serializers.Serializer):
    label = serializers.CharField()
    sessions = serializers.IntegerField()
    respondents = serializers.IntegerField()
    shown = serializers.BooleanField(help_text=_("False under 5 respondents: no means are given."))
    means = serializers.SerializerMethodField()

    @extend_schema_field(GroupMeanSerializer(many=True))
    def get_means(self, group):
        rows = [{"question": q.pk, "text": q.text, "mean": mean} for q, mean in group.means]
        return GroupMeanSerializer(rows, many=True).data


class ClassEvaluationSerializer(serializers.Serializer):
    training_class = serializers.CharField(source="training_class.code")
    survey = serializers.CharField(source="survey.code", allow_null=True, default=None)
    responses = serializers.IntegerField()
    shown = serializers.BooleanField(help_text=_("False under 5 responses: nothing is broken down."))
    teachers = GroupMeansSerializer(many=True)
    courses = GroupMeansSerializer(many=True)
    questions = QuestionBlockSerializer(many=True)


class FollowUpSettingsSerializer(serializers.Serializer):
    key_class = serializers.BooleanField()
    years = serializers.IntegerField(min_value=1, max_value=followup_rules.MAX_FOLLOW_UP_YEARS)


class ItemStateSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    opens_on = serializers.DateField(allow_null=True)
    state = serializers.CharField(help_text=STATE_HELP)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    staff_no = serializers.CharField(source="enrolment.official.staff_no")
    name = serializers.CharField(source="enrolment.official.name")
    unit = serializers.CharField(source="enrolment.official.unit.code")
    round = serializers.IntegerField(source="sample.round")
    due_on = serializers.DateField(source="sample.due_on")
    done_on = serializers.DateField(allow_null=True)
    method = serializers.CharField()
    outcome = serializers.CharField()
    finding = serializers.CharField()


class SampleSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    population = serializers.IntegerField()
    size = serializers.IntegerField()
    seed = serializers.IntegerField()
    due_on = serializers.DateField()
    drawn = serializers.SerializerMethodField(help_text=_("Staff numbers of the trainees drawn."))

    def get_drawn(self, sample) -> list[str]:
        return sorted(r.enrolment.official.staff_no for r in sample.reviews.all())


class RoundSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    due_on = serializers.DateField()
    state = serializers.CharField(help_text=STATE_HELP)
    sample = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()

    @extend_schema_field(SampleSerializer(allow_null=True))
    def get_sample(self, view):
        return SampleSerializer(view.sample.sample).data if view.sample else None

    @extend_schema_field(ReviewSerializer(many=True))
    def get_reviews(self, view):
        return ReviewSerializer(view.sample.reviews, many=True).data if view.sample else []


class ForumSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    held_on = ClassDateField()
    attendees = serializers.IntegerField(min_value=1, max_value=100000)
    summary = serializers.CharField(max_length=10000)


class ClassFollowUpSerializer(serializers.Serializer):
    training_class = serializers.CharField(source="training_class.code")
    key_class = serializers.BooleanField(source="training_class.key_class")
    years = serializers.IntegerField(source="training_class.follow_up_years")
    trainees = serializers.IntegerField()
    forum = ItemStateSerializer()
    forums = ForumSerializer(many=True)
    self_evaluation = ItemStateSerializer()
    self_evaluations = serializers.IntegerField(help_text=_("Trainees who sent theirs."))
    summary = ItemStateSerializer()
    summaries = serializers.IntegerField(help_text=_("Trainees who sent theirs."))
    rounds = RoundSerializer(many=True)


class SelfEvaluationSerializer(serializers.Serializer):
    knowledge = serializers.CharField(max_length=5000)
    inspiration = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    ideas = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    before = serializers.IntegerField(min_value=1, max_value=5)
    after = serializers.IntegerField(min_value=1, max_value=5)


class StudySummaryInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, help_text=_("The summary as a PDF, JPEG or PNG file."))


class StudySummarySerializer(serializers.Serializer):
    training_class = serializers.CharField(source="enrolment.training_class.code")
    title = serializers.CharField()
    text = serializers.CharField()
    file_type = serializers.CharField(help_text=_("pdf, jpeg or png; empty without a file."))
    submitted_at = serializers.DateTimeField()


class SelfEvaluationOutSerializer(SelfEvaluationSerializer):
    training_class = serializers.CharField(source="enrolment.training_class.code")
    submitted_at = serializers.DateTimeField()


class SampleRequestSerializer(serializers.Serializer):
    round = serializers.IntegerField(min_value=1, max_value=followup_rules.MAX_FOLLOW_UP_YEARS)
    size = serializers.IntegerField(min_value=1, max_value=100000, required=False)
    seed = serializers.IntegerField(min_value=0, max_value=2**63 - 1, required=False)


class ReviewInputSerializer(serializers.Serializer):
    done_on = ClassDateField()
    method = serializers.ChoiceField(choices=FollowUpMethod.choices)
    outcome = serializers.ChoiceField(choices=FollowUpOutcome.choices)
    finding = serializers.CharField(max_length=10000)


class FollowUpItemSerializer(serializers.Serializer):
    what = serializers.CharField(help_text=_("forum, self_evaluation, study_summary or review."))
    training_class = serializers.CharField(source="training_class.code")
    class_title = serializers.CharField(source="training_class.title")
    staff_no = serializers.CharField(source="official.staff_no", allow_null=True, default=None)
    name = serializers.CharField(source="official.name", allow_null=True, default=None)
    due_on = serializers.DateField()
    state = serializers.CharField(help_text=STATE_HELP)
    url = serializers.CharField()


class ReviewLineSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    due_on = serializers.DateField()
    done_on = serializers.DateField(allow_null=True)
    method = serializers.CharField()
    outcome = serializers.CharField()
    finding = serializers.CharField()


class FeedbackRowSerializer(serializers.Serializer):
    staff_no = serializers.CharField(source="official.staff_no")
    name = serializers.CharField(source="official.name")
    training_class = serializers.CharField(source="training_class.code")
    class_title = serializers.CharField(source="training_class.title")
    ends_on = serializers.DateField(source="training_class.ends_on")
    days_attended = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    self_evaluation = serializers.BooleanField()
    study_summary = serializers.BooleanField()
    reviews = ReviewLineSerializer(many=True)
