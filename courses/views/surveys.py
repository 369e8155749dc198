"""Questionnaires and surveys (问卷调查, RULES §5 需求调查): the training section's pages — the surveys with their state
and participation, a new survey, a survey's page (dates and targets, participation, results and summaries per half
year), the results (per question, optionally broken down by rank or kind of unit), the questionnaires (ready-made
and own, a new one, a copy) — and the official's answer form on a phone (one question per card, one tap per choice).

Anonymity: these pages read results only through ``courses.selectors.surveys`` (counts, shares, means; groups
under 5 respondents are not broken down) and never name who answered; after an answer the official is sent to a
thank-you page that shows nothing of what was answered. Every write is a call to ``courses.services.surveys``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from kunshan_training.half_years import HalfYear
from organisation.models import Rank
from portal.access import OfficialRequiredMixin, OrgStaffRequiredMixin
from portal.forms.common import add_service_errors, run_service

from ..forms_surveys import (
    NEW_QUESTION_ROWS,
    CopyQuestionnaireForm,
    QuestionFormSet,
    QuestionnaireForm,
    ResultsFilterForm,
    SurveyEditForm,
    SurveyForm,
    posted_answers,
)
from ..models import Questionnaire, Survey
from ..selectors.surveys import (
    open_surveys_for,
    participation,
    response_counts,
    survey_form,
    survey_results,
    survey_state,
)
from ..services import surveys as services
from ..survey_rules import MAX_QUESTIONS, SCALE, SCALE_MAX, SCALE_MIN

SURVEYS_PER_PAGE = 50


def survey_url(survey: Survey) -> str:
    return reverse("courses:survey", args=[survey.code])


def summary_url(survey: Survey, period: str) -> str:
    """The printable half-year summary (courses.views.survey_reports)."""
    return reverse("courses:survey-summary", args=[survey.code, period])


# -- the training section: surveys


class SurveyListView(OrgStaffRequiredMixin, TemplateView):
    """Needs surveys (and, with ``?evaluations=1``, class evaluations): state, responses, participation."""

    template_name = "courses/surveys/list.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        evaluations = self.request.GET.get("evaluations") == "1"
        surveys = (
            Survey.objects.filter(training_class__isnull=not evaluations)
            .select_related("questionnaire", "training_class")
            .annotate(answered=Count("participations", distinct=True))
            .order_by("-opens_on", "code")[:SURVEYS_PER_PAGE]
        )
        rows = [
            {"survey": s, "state": survey_state(s, today), "participation": participation(survey=s)} for s in surveys
        ]
        return super().get_context_data(rows=rows, evaluations=evaluations, per_page=SURVEYS_PER_PAGE, **kwargs)


class SurveyCreateView(OrgStaffRequiredMixin, FormView):
    template_name = "courses/surveys/create.html"
    form_class = SurveyForm

    def get_initial(self) -> dict:
        code = self.request.GET.get("questionnaire")
        return {"questionnaire": code} if code else {}

    def form_valid(self, form: SurveyForm):
        data = form.cleaned_data
        ok, survey = run_service(
            self.request,
            lambda: services.create_survey(
                by=self.request.user,
                code=data["code"],
                title=data["title"],
                questionnaire=data["questionnaire"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                units=list(data["units"]),
                ranks=list(data["ranks"]),
            ),  # fmt: skip
            form=form,
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("The survey “%(title)s” is created.") % {"title": survey.title})
        return redirect(survey_url(survey))


def staff_survey(code: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("questionnaire", "training_class"), code=code)


class SurveyDetailView(OrgStaffRequiredMixin, TemplateView):
    """A survey: its questionnaire, dates and targets (editable), participation, and per half year the number of
    answers with the way to its results and printable summary."""

    template_name = "courses/surveys/detail.html"

    def get(self, request, code: str, form: SurveyEditForm | None = None):
        self.survey = staff_survey(code)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, code: str):
        self.survey = survey = staff_survey(code)
        form = SurveyEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            ok, _result = run_service(
                request,
                lambda: services.update_survey(
                    by=request.user,
                    survey=survey,
                    title=data["title"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    units=list(data["units"]),
                    ranks=list(data["ranks"]),
                ),  # fmt: skip
                form=form,
            )
            if ok:
                messages.success(request, _("The survey is changed."))
                return redirect(survey_url(survey))
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, form: SurveyEditForm | None = None, **kwargs) -> dict:
        survey = self.survey
        today = timezone.localdate()
        if form is None:
            form = SurveyEditForm(
                initial={
                    "title": survey.title,
                    "opens_on": survey.opens_on,
                    "closes_on": survey.closes_on,
                    "units": [u.code for u in survey.units.all()],
                    "ranks": survey.ranks,
                }  # fmt: skip
            )
        periods = [
            {
                "period": period,
                "label": HalfYear.parse(period).label(),
                "responses": count,
                "summary_url": summary_url(survey, period),
            }
            for period, count in sorted(response_counts(survey=survey).items(), reverse=True)
        ]
        return super().get_context_data(
            survey=survey,
            state=survey_state(survey, today),
            participation=participation(survey=survey),
            units=list(survey.units.order_by("code")),
            rank_labels=[Rank(r).label for r in survey.ranks if r in Rank.values],
            periods=periods,
            questions=list(survey.questionnaire.questions.all()),
            form=form,
            editable=survey.training_class_id is None,
            **kwargs,
        )


class SurveyResultsView(OrgStaffRequiredMixin, TemplateView):
    """Per question: counts and shares (bars and a table), the mean of a scale, the free texts; ``?period=2026H1``
    one half year, ``?by=rank|unit_kind`` per group — a group under 5 respondents is named, not broken down."""

    template_name = "courses/surveys/results.html"

    def get(self, request, code: str):
        survey = staff_survey(code)
        counts = response_counts(survey=survey)
        periods = [(p, HalfYear.parse(p).label()) for p in sorted(counts, reverse=True)]
        form = ResultsFilterForm(request.GET or None, periods=periods)
        period = breakdown = None
        status = 200
        if form.is_bound and not form.is_valid():
            status = 400  # a hand-typed address: say what is wrong, show everything
        elif form.is_bound:
            period = HalfYear.parse(form.cleaned_data["period"]) if form.cleaned_data["period"] else None
            breakdown = form.cleaned_data["by"] or None
        try:
            results = survey_results(survey=survey, period=period, breakdown=breakdown)
        except ValidationError as error:
            add_service_errors(form, error)
            results, status = survey_results(survey=survey), 400
        context = self.get_context_data(
            survey=survey,
            form=form,
            results=results,
            period=period,
            breakdown=breakdown,
            summary_url=summary_url(survey, str(period)) if period else None,
        )
        return self.render_to_response(context, status=status)


# -- the training section: questionnaires


class QuestionnaireListView(OrgStaffRequiredMixin, TemplateView):
    template_name = "courses/surveys/questionnaires.html"

    def get_context_data(self, **kwargs) -> dict:
        questionnaires = Questionnaire.objects.annotate(
            question_count=Count("questions", distinct=True),
            survey_count=Count("surveys", distinct=True, filter=Q(surveys__training_class__isnull=True)),
        ).order_by("-builtin", "code")
        return super().get_context_data(questionnaires=questionnaires, **kwargs)


class QuestionnaireCreateView(OrgStaffRequiredMixin, TemplateView):
    """A new questionnaire: its title and purpose, then its questions one row each (kind, question, options one per
    line, topic, level of need); empty rows are skipped, ``?rows=`` asks for more rows."""

    template_name = "courses/surveys/questionnaire_create.html"

    def rows(self) -> int:
        raw = self.request.GET.get("rows", "")
        return max(NEW_QUESTION_ROWS, min(int(raw), 60)) if raw.isdigit() else NEW_QUESTION_ROWS

    def get(self, request):
        formset = QuestionFormSet(prefix="q", initial=[{"kind": "single", "required": True}] * self.rows())
        return self.render_to_response(self.get_context_data(form=QuestionnaireForm(), formset=formset))

    def post(self, request):
        if "more_rows" in request.POST:
            return self.more_rows(request)
        form = QuestionnaireForm(request.POST)
        formset = QuestionFormSet(request.POST, prefix="q")
        if form.is_valid() and formset.is_valid():
            questions = [q for q in (row.as_question() for row in formset.forms) if q is not None]
            ok, questionnaire = run_service(
                request,
                lambda: services.create_questionnaire(by=request.user, **form.cleaned_data, questions=questions),
                form=form,
            )
            if ok:
                messages.success(
                    request, _("The questionnaire “%(title)s” is created.") % {"title": questionnaire.title}
                )
                return redirect("courses:questionnaire", code=questionnaire.code)
        return self.render_to_response(self.get_context_data(form=form, formset=formset), status=200)

    def more_rows(self, request):
        """The same form with NEW_QUESTION_ROWS more empty rows, keeping what was typed (nothing is created)."""
        data = request.POST.copy()
        raw = data.get("q-TOTAL_FORMS", "")
        total = int(raw) if raw.isdigit() else 0
        wanted = min(total + NEW_QUESTION_ROWS, MAX_QUESTIONS)
        for index in range(total, wanted):
            data[f"q-{index}-kind"], data[f"q-{index}-required"] = "single", "on"
        data["q-TOTAL_FORMS"] = str(wanted)
        form = QuestionnaireForm(initial={name: request.POST.get(name, "") for name in QuestionnaireForm.base_fields})
        formset = QuestionFormSet(data, prefix="q")
        return self.render_to_response(self.get_context_data(form=form, formset=formset))


class QuestionnaireDetailView(OrgStaffRequiredMixin, TemplateView):
    """A questionnaire's questions as they are asked, its surveys, and a copy to change (a ready-made one or one
    already answered is never changed: the half years stay comparable)."""

    template_name = "courses/surveys/questionnaire.html"

    def get(self, request, code: str, copy_form: CopyQuestionnaireForm | None = None):
        self.questionnaire = get_object_or_404(Questionnaire, code=code)
        return self.render_to_response(self.get_context_data(copy_form=copy_form))

    def get_context_data(self, copy_form: CopyQuestionnaireForm | None = None, **kwargs) -> dict:
        q = self.questionnaire
        copy_form = copy_form or CopyQuestionnaireForm(
            initial={"code": f"{q.code}-copy"[:32], "title": _("%(title)s (copy)") % {"title": q.title}}
        )
        return super().get_context_data(
            questionnaire=q,
            questions=list(q.questions.all()),
            surveys=list(q.surveys.filter(training_class__isnull=True).order_by("-opens_on")),
            evaluations=q.surveys.filter(training_class__isnull=False).count(),
            copy_form=copy_form,
            **kwargs,
        )


class QuestionnaireCopyView(OrgStaffRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, code: str):
        questionnaire = get_object_or_404(Questionnaire, code=code)
        form = CopyQuestionnaireForm(request.POST)
        if form.is_valid():
            ok, copy = run_service(
                request,
                lambda: services.copy_questionnaire(by=request.user, questionnaire=questionnaire, **form.cleaned_data),
                form=form,
            )
            if ok:
                messages.success(
                    request, _("The copy “%(title)s” is made; change its questions here.") % {"title": copy.title}
                )
                return redirect("courses:questionnaire", code=copy.code)
        view = QuestionnaireDetailView()
        view.setup(request, code=code)
        return view.get(request, code, copy_form=form)


# -- the official: answering on a phone


class AnswerView(OfficialRequiredMixin, TemplateView):
    """One survey's questions, one card each: options as big labels (one tap), a scale as five buttons, then send.
    A survey not open to this official is a page that says so (403); one already answered says that instead."""

    template_name = "courses/surveys/answer.html"

    def find(self, code: str):
        self.survey = get_object_or_404(Survey.objects.select_related("questionnaire", "training_class"), code=code)
        mine = {item.survey.pk: item for item in open_surveys_for(official=self.official, today=timezone.localdate())}
        return mine.get(self.survey.pk)

    def refused(self, item):
        if item is None:
            return self.response_class(
                request=self.request,
                template="courses/surveys/not_open.html",
                context={"survey": self.survey},
                status=403,
            )
        if item.answered:
            return self.response_class(
                request=self.request, template="courses/surveys/answered.html", context={"survey": self.survey}
            )
        return None

    def get(self, request, code: str):
        item = self.find(code)
        return self.refused(item) or self.render_to_response(self.context(item, {}, {}))

    def post(self, request, code: str):
        item = self.find(code)
        refusal = self.refused(item)
        if refusal is not None:
            return refusal
        questions = survey_form(survey=self.survey)
        answers = posted_answers(request.POST, answer_keys(questions))
        try:
            services.answer_survey(by=request.user, survey=self.survey, answers=answers)
        except services.AlreadyAnswered:
            # A second tab or a double tap that lost the race: the first answer counts.
            return self.refused(OfficialSurveyAnswered)
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            general = [" ".join(v) for k, v in errors.items() if not k.startswith("q")]
            for text in general:
                messages.error(request, text)
            keyed = {k: " ".join(v) for k, v in errors.items() if k.startswith("q")}
            if keyed:
                messages.error(request, _("Some answers are missing or not valid; see the questions marked below."))
            return self.render_to_response(self.context(item, request.POST, keyed, questions), status=400)
        return HttpResponseRedirect(reverse("courses:survey-thanks", args=[self.survey.code]))

    def context(self, item, posted, errors: dict[str, str], questions=None) -> dict:
        questions = questions if questions is not None else survey_form(survey=self.survey)
        return self.get_context_data(
            survey=self.survey, item=item, cards=answer_cards(questions, posted, errors), errors=errors
        )


class OfficialSurveyAnswered:
    """Stands for an item of ``open_surveys_for`` that is answered (``refused`` then shows the answered page)."""

    answered = True


class ThanksView(OfficialRequiredMixin, TemplateView):
    """After an answer: thanks, and nothing of what was answered (someone looking over the shoulder sees nothing)."""

    template_name = "courses/surveys/thanks.html"

    def get(self, request, code: str):
        survey = get_object_or_404(Survey, code=code)
        return self.render_to_response(self.get_context_data(survey=survey))


def _keys_of(question) -> list[tuple[str, str, str]]:
    """(key, kind, session label) of each field a form question has: one, or one per class session."""
    kind = question.question.kind
    if question.sessions:
        return [(s.key, kind, s.label) for s in question.sessions]
    return [(question.key, kind, "")]


def answer_keys(questions) -> list[tuple[str, str]]:
    return [(key, kind) for q in questions for key, kind, _label in _keys_of(q)]


def answer_cards(questions, posted, errors: dict[str, str]) -> list[dict]:
    """One card a field: the question (and the session it is about), its options with the posted choice ticked,
    and the plain-words error of that field."""
    cards = []
    for number, q in enumerate(questions, start=1):
        for key, kind, label in _keys_of(q):
            chosen = set(posted.getlist(key)) if posted else set()
            pairs = [(v, str(v)) for v in range(SCALE_MIN, SCALE_MAX + 1)] if kind == SCALE else list(q.choices)
            options = [{"value": str(v), "label": text, "checked": str(v) in chosen} for v, text in pairs]
            cards.append(
                {
                    "key": key,
                    "number": number,
                    "kind": kind,
                    "question": q.question,
                    "session": label,
                    "options": options,
                    "text": posted.get(key, "") if posted else "",
                    "error": errors.get(key, ""),
                }  # fmt: skip
            )
    return cards
