"""The training section's classes (培训班, /training/classes/): a month calendar and a filtered list, creating a
class, and the class page — details, status and the next step (file, approve, return), sessions, quotas per unit,
the roster (add, substitute, remove), results for the whole roster in one form, and closing.

Every write is a call to ``courses.services.classes``; the services decide what is allowed (the 30-day filing
rule, capacity and seats, results only for active trainees, closing only when everyone has a result) and their
plain-words refusals are shown on the page. Which panels the page offers follows the class's status (a display
choice; the services refuse anything else anyway). Classes are looked up through ``classes_visible_to``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.access import OrgStaffRequiredMixin
from portal.forms.common import form_errors_text, run_service

from ..forms import (
    ClassFilterForm,
    ClassForm,
    QuotaForm,
    ResultRowForm,
    ReturnForm,
    SessionForm,
    SubstituteForm,
    TraineeForm,
    parse_month,
)
from ..models import ClassRecord, ClassSession, ClassStatus, Dispatch, Enrolment, TrainingClass
from ..rules import filing_deadline, needs_filing
from ..selectors.classes import classes_visible_to, roster, seats_left
from ..selectors.surveys import class_evaluation
from ..services import classes as services
from ..tables import ClassTable
from .roster import roster_rows

PER_PAGE = 50
SUBSTITUTE_IDS = "substitute-%s"  # the class page also has the add-trainee form: its own official field ids
ROSTER_FIELDS = (
    "training_class_id", "official_id", "unit_id", "active", "replaced_by_id", "replacement_reason", "days_attended",
    "passed", "absent_without_reason", "speeches", "reflections", "official__name", "official__staff_no",
    "unit__name", "replaced_by__official_id", "replaced_by__official__name",
)  # fmt: skip


def class_url(training_class: TrainingClass, anchor: str = "") -> str:
    url = reverse("courses:class", args=[training_class.code])
    return f"{url}#{anchor}" if anchor else url


# -- the list and the calendar


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    classes: list[TrainingClass]


def month_weeks(first: date, classes: list[TrainingClass]) -> list[list[CalendarDay]]:
    """The month's weeks (Monday first), each day with the classes running on it."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [
            CalendarDay(day, day.month == first.month, [c for c in classes if c.starts_on <= day <= c.ends_on])
            for day in week
        ]
        for week in weeks
    ]


class ClassListView(OrgStaffRequiredMixin, TemplateView):
    """The month calendar (``?month=2026-12``) above the plain list with its filters."""

    template_name = "courses/classes/list.html"

    def get_context_data(self, **kwargs) -> dict:
        visible = classes_visible_to(self.request.user).select_related("organiser")
        first = parse_month(self.request.GET.get("month"))
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        in_month = list(visible.filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on", "code"))
        form = ClassFilterForm(self.request.GET or None)
        rows = visible
        if form.is_valid():
            data = form.cleaned_data
            if data["q"]:
                rows = rows.filter(Q(code__icontains=data["q"]) | Q(title__icontains=data["q"]))
            for name in ("status", "class_type", "dispatch"):
                if data[name]:
                    rows = rows.filter(**{name: data[name]})
            if data["year"]:
                rows = rows.filter(starts_on__year=data["year"])
        table = ClassTable(rows.order_by("-starts_on", "code"), request=self.request)
        previous = (first - timedelta(days=1)).replace(day=1)
        following = last + timedelta(days=1)
        return super().get_context_data(
            form=form,
            table=table,
            month=first,
            weeks=month_weeks(first, in_month),
            in_month=in_month,
            previous_month=f"{previous:%Y-%m}",
            next_month=f"{following:%Y-%m}",
            **kwargs,
        )


class ClassCreateView(OrgStaffRequiredMixin, FormView):
    template_name = "courses/classes/create.html"
    form_class = ClassForm

    def form_valid(self, form: ClassForm):
        data = form.cleaned_data
        ok, training_class = run_service(
            self.request, lambda: services.create_class(by=self.request.user, **data), form=form
        )
        if not ok:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The class “%(title)s” is created: %(status)s.")
            % {"title": training_class.title, "status": training_class.get_status_display()},
        )
        return redirect(class_url(training_class))


# -- the class page


def visible_class(request, code: str) -> TrainingClass:
    return get_object_or_404(classes_visible_to(request.user).select_related("organiser"), code=code)


def panels(training_class: TrainingClass) -> dict:
    """What the page offers in the class's status (display only: the services refuse anything else)."""
    status = training_class.status
    open_ = status != ClassStatus.CLOSED
    return {
        "file": status == ClassStatus.DRAFT,
        "approve": status == ClassStatus.FILED,
        "return": status == ClassStatus.FILED,
        "sessions": open_,
        "quotas": open_ and training_class.dispatch == Dispatch.QUOTA,
        "enrol": status == ClassStatus.APPROVED,
        "enrol_by_name": status == ClassStatus.APPROVED and training_class.dispatch == Dispatch.BY_NAME,
        "results": status in (ClassStatus.APPROVED, ClassStatus.CLOSED),
        "close": status in (ClassStatus.APPROVED, ClassStatus.CLOSED),
    }


class ClassDetailView(OrgStaffRequiredMixin, TemplateView):
    """The class page. Queries stay bounded whatever the roster: the class, its sessions, its quotas (with the
    seats left of each unit), the roster in one query, the count of records closing wrote."""

    template_name = "courses/classes/detail.html"

    def get(self, request, code: str, **forms):
        self.training_class = visible_class(request, code)
        return self.render_to_response(self.get_context_data(**forms))

    def get_context_data(self, **forms) -> dict:
        training_class = self.training_class
        # Only what the page shows of 500 trainees (model instances of three tables each: half the page's time).
        trainees = list(roster(training_class).only(*ROSTER_FIELDS))
        active = [e for e in trainees if e.active]
        quotas = [
            {"quota": q, "left": seats_left(training_class=training_class, unit=q.unit)}
            for q in training_class.quotas.select_related("unit")
        ]
        for row in quotas:
            row["taken"] = row["quota"].seats - row["left"] if row["left"] is not None else None
        show = panels(training_class)
        rows = result_rows(trainees, forms.get("result_data"), forms.get("result_errors") or {})
        context = {
            "training_class": training_class,
            "show": show,
            "needs_filing": needs_filing(training_class.capacity),
            "filing_deadline": filing_deadline(training_class.starts_on),
            "sessions": list(
                ClassSession.objects.filter(training_class=training_class).select_related("course", "teacher")
            ),
            "quotas": quotas,
            "trainees": trainees,
            "active_count": len(active),
            "seats_free": training_class.capacity - len(active),
            "records_written": ClassRecord.objects.filter(training_class=training_class).count(),
            "return_form": forms.get("return_form") or ReturnForm(),
            "session_form": forms.get("session_form") or SessionForm(),
            "quota_form": forms.get("quota_form") or QuotaForm(),
            "trainee_form": forms.get("trainee_form") or TraineeForm(),
            "substitute_form": forms.get("substitute_form") or SubstituteForm(auto_id=SUBSTITUTE_IDS),
            "substitute_options": format_html_join(
                "", '<option value="{}">{} {}</option>', ((e.pk, e.official.name, e.official.staff_no) for e in active)
            ),
            "roster_rows": roster_rows(
                rows, code=training_class.code, results=show["results"], removable=show["enrol"]
            ),
        }
        if training_class.status == ClassStatus.CLOSED:
            # 培训评估: the anonymous evaluation's counts and means (never who answered) and the way to follow-up.
            evaluation = class_evaluation(training_class=training_class)
            context["evaluation"] = evaluation
            context["evaluation_tables"] = [
                (_("Per teacher"), evaluation.teachers, "per-teacher"),
                (_("Per course"), evaluation.courses, "per-course"),
            ]
        return super().get_context_data(**context)


def result_rows(trainees: list[Enrolment], posted, errors: dict[int, str]) -> list[dict]:
    """The roster's rows with the values the results form shows: as stored, or as typed when a row had errors."""
    rows = []
    for e in trainees:
        row = {"e": e, "error": errors.get(e.pk, "")}
        if posted is not None and e.pk in errors:
            prefix = f"r{e.pk}-"
            row.update(
                days=posted.get(prefix + "days_attended", ""),
                passed=posted.get(prefix + "passed", ""),
                absent=bool(posted.get(prefix + "absent_without_reason")),
                speeches=posted.get(prefix + "speeches", ""),
                reflections=posted.get(prefix + "reflections", ""),
            )
        else:
            row.update(
                days="" if e.days_attended is None else e.days_attended,
                passed="" if e.passed is None else ("yes" if e.passed else "no"),
                absent=e.absent_without_reason,
                speeches=e.speeches or "",
                reflections=e.reflections or "",
            )
        rows.append(row)
    return rows


class ClassActionView(OrgStaffRequiredMixin, View):
    """A POST on the class page: find the class among those visible, run the action, back to the page."""

    http_method_names = ["post"]
    anchor = ""

    def post(self, request, code: str, **kwargs):
        self.training_class = visible_class(request, code)
        return self.act(request, **kwargs)

    def act(self, request, **kwargs):  # pragma: no cover - every action overrides it
        raise NotImplementedError

    def back(self, anchor: str | None = None) -> HttpResponseRedirect:
        return HttpResponseRedirect(class_url(self.training_class, self.anchor if anchor is None else anchor))

    def again(self, **forms):
        """The class page again with a form that has errors (status 200, as the portal's forms)."""
        view = ClassDetailView()
        view.setup(self.request, code=self.training_class.code)
        view.training_class = self.training_class
        return view.render_to_response(view.get_context_data(**forms))


class FileClassView(ClassActionView):
    def act(self, request):
        ok, _result = run_service(
            request, lambda: services.file_class(by=request.user, training_class=self.training_class)
        )
        if ok:
            messages.success(request, _("The class is filed; it waits for the training section's approval."))
        return self.back("status")


class ApproveClassView(ClassActionView):
    def act(self, request):
        ok, _result = run_service(
            request, lambda: services.approve_class(by=request.user, training_class=self.training_class)
        )
        if ok:
            messages.success(request, _("The class is approved: trainees can now be named."))
        return self.back("status")


class ReturnClassView(ClassActionView):
    def act(self, request):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return self.again(return_form=form)
        call = lambda: services.return_class(  # noqa: E731
            by=request.user, training_class=self.training_class, reason=form.cleaned_data["reason"]
        )
        ok, _result = run_service(request, call, form=form)
        if not ok:
            return self.again(return_form=form)
        messages.success(request, _("The filing is returned to draft with the reason."))
        return self.back("status")


class AddSessionView(ClassActionView):
    def act(self, request):
        form = SessionForm(request.POST)
        if not form.is_valid():
            return self.again(session_form=form)
        ok, _result = run_service(
            request,
            lambda: services.add_session(by=request.user, training_class=self.training_class, **form.cleaned_data),
            form=form,
        )
        if not ok:
            return self.again(session_form=form)
        messages.success(request, _("The session is added to the schedule."))
        return self.back("sessions")


class RemoveSessionView(ClassActionView):
    def act(self, request, pk: int):
        session = get_object_or_404(ClassSession, pk=pk, training_class=self.training_class)
        ok, _result = run_service(request, lambda: services.remove_session(by=request.user, session=session))
        if ok:
            messages.success(request, _("The session is removed from the schedule."))
        return self.back("sessions")


class SetQuotaView(ClassActionView):
    def act(self, request):
        form = QuotaForm(request.POST)
        if not form.is_valid():
            return self.again(quota_form=form)
        data = form.cleaned_data
        ok, _result = run_service(
            request,
            lambda: services.set_quota(
                by=request.user, training_class=self.training_class, unit=data["unit"], seats=data["seats"]
            ),
            form=form,
        )
        if not ok:
            return self.again(quota_form=form)
        messages.success(
            request, _("%(unit)s has %(seats)s seats.") % {"unit": data["unit"].name, "seats": data["seats"]}
        )
        return self.back("quotas")


class AddTraineeView(ClassActionView):
    def act(self, request):
        form = TraineeForm(request.POST)
        if not form.is_valid():
            return self.again(trainee_form=form)
        official = form.cleaned_data["official"]
        ok, _result = run_service(
            request,
            lambda: services.enrol_trainee(by=request.user, training_class=self.training_class, official=official),
            form=form,
        )
        if not ok:
            return self.again(trainee_form=form)
        messages.success(request, _("%(name)s is a trainee of the class.") % {"name": official.name})
        return self.back("roster")


def class_enrolment(training_class: TrainingClass, pk: int) -> Enrolment:
    return get_object_or_404(Enrolment.objects.select_related("official"), pk=pk, training_class=training_class)


class RemoveTraineeView(ClassActionView):
    def act(self, request, pk: int):
        enrolment = class_enrolment(self.training_class, pk)
        ok, _result = run_service(request, lambda: services.remove_trainee(by=request.user, enrolment=enrolment))
        if ok:
            messages.success(request, _("%(name)s is no longer a trainee.") % {"name": enrolment.official.name})
        return self.back("roster")


class SubstituteTraineeView(ClassActionView):
    def act(self, request):
        form = SubstituteForm(request.POST, auto_id=SUBSTITUTE_IDS)
        raw = request.POST.get("enrolment", "")
        enrolment = class_enrolment(self.training_class, int(raw)) if raw.isdigit() else None
        if enrolment is None:
            form.is_valid()
            form.add_error(None, _("Choose the trainee who is replaced."))
            return self.again(substitute_form=form)
        if not form.is_valid():
            return self.again(substitute_form=form)
        data = form.cleaned_data
        ok, _result = run_service(
            request,
            lambda: services.substitute_trainee(
                by=request.user, enrolment=enrolment, official=data["official"], reason=data["reason"]
            ),
            form=form,
        )
        if not ok:
            return self.again(substitute_form=form)
        messages.success(
            request,
            _("%(new)s takes the place of %(old)s.") % {"new": data["official"].name, "old": enrolment.official.name},
        )
        return self.back("roster")


class ResultsView(ClassActionView):
    """The results of the whole roster in one form: each row that changed is recorded (one service call a row);
    rows with errors are shown again with their values and the plain words, the others are kept."""

    def act(self, request):
        rows = [
            ResultRowForm(request.POST, enrolment=e)
            for e in roster(self.training_class)
            if e.active and f"r{e.pk}-days_attended" in request.POST
        ]
        errors: dict[int, str] = {}
        saved = 0
        for row in rows:
            if not row.has_changed():
                continue
            if not row.is_valid():
                errors[row.enrolment.pk] = form_errors_text(row)
                continue
            data = row.cleaned_data
            ok, _result = run_service(
                request,
                lambda row=row, data=data: services.record_result(
                    by=request.user,
                    training_class=self.training_class,
                    official=row.enrolment.official,
                    days_attended=data["days_attended"],
                    passed=data["passed"],
                    absent_without_reason=data["absent_without_reason"],
                    speeches=data["speeches"] or 0,
                    reflections=data["reflections"] or 0,
                ),
                form=row,
            )
            if ok:
                saved += 1
            else:
                errors[row.enrolment.pk] = form_errors_text(row)
        if saved:
            messages.success(request, _("Results recorded for %(count)s trainees.") % {"count": saved})
        if errors:
            messages.error(request, _("Some results were not recorded; see the rows marked below."))
            return self.again(result_errors=errors, result_data=request.POST)
        if not saved:
            messages.info(request, _("No result was changed."))
        return self.back("roster")


class CloseClassView(ClassActionView):
    def act(self, request):
        ok, outcome = run_service(
            request, lambda: services.close_class(by=request.user, training_class=self.training_class)
        )
        if ok:
            messages.success(
                request,
                _("The class is closed. Credit records: %(created)s created, %(updated)s updated, %(removed)s removed.")
                % {"created": outcome.created, "updated": outcome.updated, "removed": outcome.removed},
            )
        return self.back("status")
