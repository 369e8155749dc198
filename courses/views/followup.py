"""Training follow-up (追踪问效, RULES §5, seed 002 annex 4): the training section's follow-up page of a closed class
(the schedule with each item's state; record a forum; mark a pilot or key class and its years; draw a yearly sample —
its size and seed shown, so the draw can be repeated; record each sampled trainee's review), the list of due and
overdue items across classes, the trainee's self-evaluation and study summary, and the unit administrator's
feedback page (培训反馈: their trainees' results and follow-up).

Every write is a call to ``courses.services.followup`` or ``courses.services.evaluations``; reads come from
``courses.selectors.followup``. The class evaluation's anonymous answers never appear here (they are counts on the
class page); a self-evaluation and a study summary are named by design (RULES §5: fed back to the unit).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.access import OfficialRequiredMixin, OrgStaffRequiredMixin, UnitAdminRequiredMixin
from portal.forms.common import run_service

from ..followup_rules import MAX_FOLLOW_UP_YEARS, follow_up_years
from ..forms_surveys import (
    FeedbackFilterForm,
    FollowUpFilterForm,
    FollowUpSettingsForm,
    ForumForm,
    ReviewForm,
    SampleForm,
    SelfEvaluationForm,
    StudySummaryForm,
)
from ..models import ClassStatus, FollowUpReview, TrainingClass
from ..selectors.classes import classes_visible_to
from ..selectors.followup import class_follow_up, follow_up_items, unit_feedback
from ..selectors.official import closed_enrolment
from ..services import evaluations as evaluation_services
from ..services import followup as services

ALL_STATES = ("not_yet", "due", "overdue", "done")


def follow_up_url(training_class: TrainingClass, anchor: str = "") -> str:
    url = reverse("courses:class-follow-up", args=[training_class.code])
    return f"{url}#{anchor}" if anchor else url


# -- the training section


def closed_class(request, code: str) -> TrainingClass:
    return get_object_or_404(
        classes_visible_to(request.user).select_related("organiser"), code=code, status=ClassStatus.CLOSED
    )


class ClassFollowUpView(OrgStaffRequiredMixin, TemplateView):
    """A closed class's follow-up: what is due when and in what state; the forms of the organiser's steps."""

    template_name = "courses/followup/class.html"

    def get(self, request, code: str, **forms):
        self.training_class = closed_class(request, code)
        return self.render_to_response(self.get_context_data(**forms))

    def get_context_data(self, **forms) -> dict:
        training_class = self.training_class
        follow_up = class_follow_up(training_class=training_class, today=timezone.localdate())
        drawn = {r.round for r in follow_up.rounds if r.sample is not None}
        free_rounds = [r.round for r in follow_up.rounds if r.sample is None]
        review_forms = forms.pop("review_forms", None) or {}
        for round_ in follow_up.rounds:
            for review in round_.sample.reviews if round_.sample else ():
                # Each sampled trainee's review has its own small form (own prefix: unique ids on the page).
                review.form = review_forms.get(review.pk) or ReviewForm(
                    prefix=f"r{review.pk}",
                    initial={"done_on": review.done_on, "method": review.method, "outcome": review.outcome,
                             "finding": review.finding},
                )  # fmt: skip
        return super().get_context_data(
            training_class=training_class,
            follow_up=follow_up,
            forum_form=forms.pop("forum_form", None) or ForumForm(prefix="forum"),
            settings_form=forms.pop("settings_form", None)
            or FollowUpSettingsForm(
                prefix="settings",
                initial={"key_class": training_class.key_class, "years": training_class.follow_up_years},
            ),
            sample_form=forms.pop("sample_form", None) or SampleForm(prefix="sample", rounds=free_rounds or [1]),
            free_rounds=free_rounds,
            drawn=drawn,
            max_years=MAX_FOLLOW_UP_YEARS,
            **forms,
        )


class FollowUpActionView(OrgStaffRequiredMixin, View):
    """A POST of the follow-up page: the closed class, the action, back to the page (or the page with the form's
    errors, status 200 as the portal's forms)."""

    http_method_names = ["post"]

    def post(self, request, code: str, **kwargs):
        self.training_class = closed_class(request, code)
        return self.act(request, **kwargs)

    def act(self, request, **kwargs):  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def again(self, **forms):
        view = ClassFollowUpView()
        view.setup(self.request, code=self.training_class.code)
        view.training_class = self.training_class
        return view.render_to_response(view.get_context_data(**forms))


class RecordForumView(FollowUpActionView):
    def act(self, request):
        form = ForumForm(request.POST, prefix="forum")
        if form.is_valid():
            ok, _forum = run_service(
                request,
                lambda: services.record_forum(by=request.user, training_class=self.training_class, **form.cleaned_data),
                form=form,
            )
            if ok:
                messages.success(request, _("The forum is recorded."))
                return redirect(follow_up_url(self.training_class, "forums"))
        return self.again(forum_form=form)


class FollowUpSettingsView(FollowUpActionView):
    def act(self, request):
        form = FollowUpSettingsForm(request.POST, prefix="settings")
        if form.is_valid():
            ok, _result = run_service(
                request,
                lambda: services.set_follow_up(
                    by=request.user,
                    training_class=self.training_class,
                    key_class=form.cleaned_data["key_class"],
                    years=form.cleaned_data["years"],
                ),  # fmt: skip
                form=form,
            )
            if ok:
                messages.success(request, _("The class's years of follow-up are set."))
                return redirect(follow_up_url(self.training_class, "schedule"))
        return self.again(settings_form=form)


class DrawSampleView(FollowUpActionView):
    def act(self, request):
        years = follow_up_years(key_class=self.training_class.key_class, years=self.training_class.follow_up_years)
        form = SampleForm(request.POST, prefix="sample", rounds=range(1, years + 1))
        if form.is_valid():
            data = form.cleaned_data
            ok, sample = run_service(
                request,
                lambda: services.draw_follow_up_sample(
                    by=request.user,
                    training_class=self.training_class,
                    round=data["round"],
                    size=data["size"],
                    seed=data["seed"],
                ),  # fmt: skip
                form=form,
            )
            if ok:
                messages.success(
                    request,
                    _("%(size)s of %(population)s trainees drawn for year %(round)s with seed %(seed)s.")
                    % {
                        "size": sample.size,
                        "population": sample.population,
                        "round": sample.round,
                        "seed": sample.seed,
                    },
                )
                return redirect(follow_up_url(self.training_class, f"sample-{sample.round}"))
        return self.again(sample_form=form)


class RecordReviewView(FollowUpActionView):
    def act(self, request, pk: int):
        review = get_object_or_404(
            FollowUpReview.objects.select_related("sample", "enrolment__official"),
            pk=pk,
            sample__training_class=self.training_class,
        )
        form = ReviewForm(request.POST, prefix=f"r{review.pk}")
        if form.is_valid():
            ok, _result = run_service(
                request, lambda: services.record_review(by=request.user, review=review, **form.cleaned_data), form=form
            )
            if ok:
                messages.success(
                    request, _("The follow-up of %(name)s is recorded.") % {"name": review.enrolment.official.name}
                )
                return redirect(follow_up_url(self.training_class, f"sample-{review.sample.round}"))
        return self.again(review_forms={review.pk: form})


class FollowUpItemsView(OrgStaffRequiredMixin, TemplateView):
    """Due and overdue follow-up items of every closed class (``?state=due|overdue``)."""

    template_name = "courses/followup/items.html"

    def get(self, request):
        form = FollowUpFilterForm(request.GET or None)
        states = ("due", "overdue")
        status = 200
        if form.is_bound:
            if form.is_valid():
                states = (form.cleaned_data["state"],) if form.cleaned_data["state"] else states
            else:
                status = 400
        items = follow_up_items(today=timezone.localdate(), states=states)
        return self.render_to_response(self.get_context_data(form=form, items=items), status=status)


# -- the unit's study administrator


class FeedbackView(UnitAdminRequiredMixin, TemplateView):
    """培训反馈: the unit's trainees of closed classes — attendance, result, self-evaluation, study summary, the
    yearly follow-up's outcome and finding — and the follow-up items they owe (``?year=``)."""

    template_name = "courses/followup/feedback.html"

    def get(self, request):
        today = timezone.localdate()
        years = list(range(today.year, today.year - 5, -1))
        form = FeedbackFilterForm(request.GET or None, years=years)
        year = None
        status = 200
        if form.is_bound:
            if form.is_valid():
                year = form.cleaned_data["year"]
            else:
                status = 400
        rows = unit_feedback(unit=self.unit, year=year)
        items = follow_up_items(today=today, states=("due", "overdue"), unit=self.unit)
        return self.render_to_response(
            self.get_context_data(form=form, rows=rows, items=items, unit=self.unit, year=year), status=status
        )


# -- the trainee


class TraineeStepView(OfficialRequiredMixin, TemplateView):
    """A step a trainee of a closed class takes (self-evaluation, study summary): their own active enrolment of
    the class, else 404."""

    def setup_enrolment(self, code: str):
        self.enrolment = closed_enrolment(official=self.official, code=code)
        self.training_class = self.enrolment.training_class


class SelfEvaluationView(TraineeStepView):
    template_name = "courses/followup/self_evaluation.html"

    def get(self, request, code: str):
        self.setup_enrolment(code)
        existing = getattr(self.enrolment, "self_evaluation", None)
        initial = {}
        if existing is not None:
            initial = {f: getattr(existing, f) for f in ("knowledge", "inspiration", "ideas", "before", "after")}
        return self.render_to_response(self.context(SelfEvaluationForm(initial=initial), existing))

    def post(self, request, code: str):
        self.setup_enrolment(code)
        form = SelfEvaluationForm(request.POST)
        if form.is_valid():
            ok, _result = run_service(
                request,
                lambda: evaluation_services.submit_self_evaluation(
                    by=request.user, training_class=self.training_class, **form.cleaned_data
                ),
                form=form,
            )
            if ok:
                messages.success(request, _("Your self-evaluation is saved. Thank you."))
                return redirect("courses:my-training")
        existing = getattr(self.enrolment, "self_evaluation", None)
        return self.render_to_response(self.context(form, existing), status=400)

    def context(self, form, existing) -> dict:
        return self.get_context_data(form=form, training_class=self.training_class, existing=existing)


class StudySummaryView(TraineeStepView):
    template_name = "courses/followup/study_summary.html"

    def get(self, request, code: str):
        self.setup_enrolment(code)
        existing = getattr(self.enrolment, "study_summary", None)
        initial = {"title": existing.title, "text": existing.text} if existing is not None else {}
        return self.render_to_response(self.context(StudySummaryForm(initial=initial), existing))

    def post(self, request, code: str):
        self.setup_enrolment(code)
        form = StudySummaryForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            ok, _result = run_service(
                request,
                lambda: services.submit_study_summary(
                    by=request.user,
                    training_class=self.training_class,
                    title=data["title"],
                    text=data["text"],
                    file=data["file"],
                ),  # fmt: skip
                form=form,
            )
            if ok:
                messages.success(request, _("Your study summary is handed in. Thank you."))
                return redirect("courses:my-training")
        existing = getattr(self.enrolment, "study_summary", None)
        return self.render_to_response(self.context(form, existing), status=400)

    def context(self, form, existing) -> dict:
        return self.get_context_data(form=form, training_class=self.training_class, existing=existing)
