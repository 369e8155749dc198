"""菜单式讲座 (/training/lectures/): the list (everyone signed in), scheduling one (the training section), a lecture's
page — sign-ups and check-in as a list to tick, the check-in code shown big for the room (the training section),
the unit's officials for their study administrator, sign up / cancel for an official — and the phone form an
official checks in with on the day (/training/checkin/: one field, one button).

``courses.services.lectures`` decides who may sign up or check in whom (and refuses the rest); a second check-in
of someone already checked in changes nothing and says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from organisation.models import Official
from organisation.roles import is_org_staff, scope_of
from portal.access import OfficialRequiredMixin, OrgStaffRequiredMixin
from portal.forms.common import form_errors_text, run_service
from portal.views.staff_common import back_to

from ..forms import CheckinCodeForm, LectureForm, TraineeForm
from ..models import Lecture
from ..selectors.lectures import lectures_visible_to, signups_of, signups_visible_to
from ..selectors.official import lecture_for_checkin
from ..services.lectures import cancel_signup, check_in_outcome, create_lecture, sign_up
from ..tables import LectureTable
from .mixins import SignedInMixin


def lecture_url(lecture: Lecture, anchor: str = "") -> str:
    url = reverse("courses:lecture", args=[lecture.code])
    return f"{url}#{anchor}" if anchor else url


def officials_for(user):
    """Whom ``user`` names on a lecture's forms: the training section anyone, a unit administrator their unit's."""
    if is_org_staff(user):
        return Official.objects.all()
    scope = scope_of(user)
    if scope.unit_id is not None:
        return Official.objects.filter(unit_id=scope.unit_id)
    return Official.objects.none()


class LectureListView(SignedInMixin, TemplateView):
    template_name = "courses/lectures/list.html"

    def get_context_data(self, **kwargs) -> dict:
        user = self.request.user
        today = timezone.localdate()
        lectures = lectures_visible_to(user)
        official_id = scope_of(user).official_id
        mine = set()
        if official_id is not None:
            mine = {s.lecture_id for s in signups_of(official_id=official_id).filter(lecture__held_on__gte=today)}
        return super().get_context_data(
            upcoming=list(lectures.filter(held_on__gte=today).order_by("held_on", "code")[:100]),
            table=LectureTable(lectures.filter(held_on__lt=today).order_by("-held_on", "code"), request=self.request),
            mine=mine,
            today=today,
            **kwargs,
        )


class LectureCreateView(OrgStaffRequiredMixin, FormView):
    template_name = "courses/lectures/create.html"
    form_class = LectureForm

    def form_valid(self, form):
        ok, lecture = run_service(
            self.request, lambda: create_lecture(by=self.request.user, **form.cleaned_data), form=form
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(self.request, _("The lecture “%(title)s” is scheduled.") % {"title": lecture.title})
        return redirect(lecture_url(lecture))


class LectureDetailView(SignedInMixin, TemplateView):
    template_name = "courses/lectures/detail.html"

    def get(self, request, code: str, **forms):
        self.lecture = get_object_or_404(lectures_visible_to(request.user), code=code)
        return self.render_to_response(self.get_context_data(**forms))

    def get_context_data(self, **forms) -> dict:
        user = self.request.user
        lecture = self.lecture
        scope = scope_of(user)
        staff = is_org_staff(user)
        rows = list(signups_visible_to(user, lecture))
        own = next((s for s in rows if s.official_id == scope.official_id), None)
        today = timezone.localdate()
        return super().get_context_data(
            lecture=lecture,
            signups=rows,
            own=own,
            staff=staff,
            # Who may name others: the training section anyone, a unit administrator their unit's officials.
            names_others=staff or scope.unit_id is not None,
            is_trainee_official=scope.official_id is not None,
            upcoming=lecture.held_on >= today,
            held_today=lecture.held_on == today,
            full=lecture.signup_count >= lecture.capacity,
            signup_form=forms.get("signup_form") or TraineeForm(auto_id="signup-%s"),
            checkin_form=forms.get("checkin_form") or TraineeForm(auto_id="checkin-%s"),
        )


class LectureActionView(SignedInMixin, View):
    http_method_names = ["post"]

    def post(self, request, code: str, **kwargs):
        self.lecture = get_object_or_404(lectures_visible_to(request.user), code=code)
        return self.act(request, **kwargs)

    def again(self, **forms):
        view = LectureDetailView()
        view.setup(self.request, code=self.lecture.code)
        view.lecture = self.lecture
        return view.render_to_response(view.get_context_data(**forms))


class SignUpView(LectureActionView):
    """An official signs up themself (no field); the training section or a unit administrator names an official."""

    def act(self, request):
        scope = scope_of(request.user)
        if request.POST.get("official"):
            form = TraineeForm(request.POST, officials=officials_for(request.user), auto_id="signup-%s")
            if not form.is_valid():
                return self.again(signup_form=form)
            official = form.cleaned_data["official"]
        elif scope.official_id is not None:
            form, official = None, Official.objects.get(pk=scope.official_id)
        else:
            form = TraineeForm(request.POST, auto_id="signup-%s")
            form.is_valid()
            return self.again(signup_form=form)
        ok, _signup = run_service(
            request, lambda: sign_up(by=request.user, lecture=self.lecture, official=official), form=form
        )
        if not ok and form is not None:
            return self.again(signup_form=form)
        if ok:
            messages.success(request, _("%(name)s is signed up for the lecture.") % {"name": official.name})
        return redirect(back_to(request, "courses:lectures") if form is None else lecture_url(self.lecture, "signups"))


class CancelSignupView(LectureActionView):
    def act(self, request, pk: int):
        signup = get_object_or_404(signups_visible_to(request.user, self.lecture).select_related("official"), pk=pk)
        ok, _result = run_service(request, lambda: cancel_signup(by=request.user, signup=signup))
        if ok:
            messages.success(request, _("The sign-up of %(name)s is cancelled.") % {"name": signup.official.name})
        return redirect(lecture_url(self.lecture, "signups"))


class CheckInView(LectureActionView):
    """The organiser's list to tick (``signup`` ids), or one official by staff number (signed up on the way)."""

    def act(self, request):
        if not (is_org_staff(request.user) or scope_of(request.user).unit_id is not None):
            raise PermissionDenied  # an official checks in with the code (CodeCheckInView)
        officials: list[Official] = []
        if request.POST.get("official"):
            form = TraineeForm(request.POST, officials=officials_for(request.user), auto_id="checkin-%s")
            if not form.is_valid():
                return self.again(checkin_form=form)
            officials.append(form.cleaned_data["official"])
        ids = [int(i) for i in request.POST.getlist("signup") if i.isdigit()]
        if ids:
            ticked = signups_visible_to(request.user, self.lecture).filter(pk__in=ids, checked_in_at__isnull=True)
            officials += [s.official for s in ticked]
        if not officials:
            messages.error(request, _("Tick the officials who are here, or give a staff number."))
            return redirect(lecture_url(self.lecture, "signups"))
        done, already, refused = [], [], []
        for official in officials:
            ok, outcome = run_service(
                request,
                lambda official=official: check_in_outcome(by=request.user, lecture=self.lecture, official=official),
            )
            if not ok:
                refused.append(official.name)
            elif outcome.already:
                already.append(official.name)
            else:
                done.append(official.name)
        if done:
            messages.success(request, _("Checked in: %(names)s.") % {"names": "、".join(done)})
        if already:
            messages.info(request, _("Already checked in before: %(names)s.") % {"names": "、".join(already)})
        return redirect(lecture_url(self.lecture, "signups"))


class CodeCheckInView(OfficialRequiredMixin, FormView):
    """签到 on the phone: the code shown in the room; the lecture is today's lecture with that code."""

    template_name = "courses/lectures/checkin.html"
    form_class = CheckinCodeForm

    def form_valid(self, form):
        code = form.cleaned_data["checkin_code"]
        lecture = lecture_for_checkin(official=self.official, code=code, day=timezone.localdate())
        if lecture is None:
            form.add_error("checkin_code", _("No lecture today has this check-in code."))
            return self.form_invalid(form)
        ok, outcome = run_service(
            self.request,
            lambda: check_in_outcome(by=self.request.user, lecture=lecture, official=self.official, checkin_code=code),
            form=form,
        )
        if not ok:
            if form.errors and not form.has_error("checkin_code") and not form.non_field_errors():
                messages.error(self.request, form_errors_text(form))
            return self.form_invalid(form)
        if outcome.already:
            messages.info(self.request, _("You were already checked in at “%(title)s”.") % {"title": lecture.title})
        else:
            messages.success(self.request, _("You are checked in at “%(title)s”.") % {"title": lecture.title})
        return redirect("courses:my-training")
