"""The unit study administrator's training pages: 本单位培训名额 (/training/seats/: their unit's seats in each approved
quota class, seats left, naming trainees of their unit within the seats, removing one before results) and
年度培训计划 (/training/plan/: filing or updating next year's plan, due 31 December). The training section's board
of plans (/training/plans/) is here too.

Org-dept staff open the unit pages for any unit with ``?unit=CODE`` (``UnitAdminRequiredMixin``); the seats
left and who may be named come from ``courses.selectors.classes`` and the services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from organisation.models import Official
from organisation.roles import scope_of
from portal.access import OrgStaffRequiredMixin, UnitAdminRequiredMixin
from portal.forms.common import run_service

from ..forms import TraineeForm, UnitPlanForm
from ..models import Enrolment, UnitPlan
from ..rules import plan_due
from ..selectors.classes import plan_board, roster, unit_seats, units_without_plan
from ..services.classes import enrol_trainee, remove_trainee
from ..services.plans import file_unit_plan


def unit_url(name: str, unit, request, *args, anchor: str = "") -> str:
    """A unit page's address, carrying ``?unit=`` for org-dept staff."""
    url = reverse(name, args=args)
    if scope_of(request.user).everything:
        url += "?" + urlencode({"unit": unit.code})
    return f"{url}#{anchor}" if anchor else url


class UnitSeatsView(UnitAdminRequiredMixin, TemplateView):
    template_name = "courses/unit/seats.html"

    def get_context_data(self, **kwargs) -> dict:
        rows = [
            {"training_class": c, "seats": seats, "taken": taken, "left": left}
            for c, seats, taken, left in unit_seats(unit=self.unit)
        ]
        return super().get_context_data(unit=self.unit, rows=rows, **kwargs)


class UnitClassSeatsView(UnitAdminRequiredMixin, TemplateView):
    """One quota class seen by the unit: its seats, the unit's trainees, naming one more, removing one."""

    template_name = "courses/unit/class_seats.html"

    def seat_row(self, code: str) -> dict:
        for c, seats, taken, left in unit_seats(unit=self.unit):
            if c.code == code:
                return {"training_class": c, "seats": seats, "taken": taken, "left": left}
        raise Http404  # not a class with seats for this unit

    def get(self, request, code: str, **forms):
        return self.render_to_response(self.context(code, **forms))

    def context(self, code: str, **forms) -> dict:
        row = self.seat_row(code)
        trainees = [e for e in roster(row["training_class"]) if e.unit_id == self.unit.pk]
        return self.get_context_data(
            unit=self.unit,
            row=row,
            training_class=row["training_class"],
            trainees=trainees,
            form=forms.get("form") or TraineeForm(),
            carry=urlencode({"unit": self.unit.code}) if scope_of(self.request.user).everything else "",
        )

    def post(self, request, code: str):
        row = self.seat_row(code)
        training_class = row["training_class"]
        back = unit_url("courses:unit-class-seats", self.unit, request, code, anchor="trainees")
        if "remove" in request.POST:
            raw = request.POST.get("remove", "")
            enrolment = get_object_or_404(
                Enrolment.objects.select_related("official"),
                pk=int(raw) if raw.isdigit() else 0,
                training_class=training_class,
                unit=self.unit,
            )
            ok, _result = run_service(request, lambda: remove_trainee(by=request.user, enrolment=enrolment))
            if ok:
                messages.success(request, _("%(name)s is no longer a trainee.") % {"name": enrolment.official.name})
            return HttpResponseRedirect(back)
        form = TraineeForm(request.POST, officials=Official.objects.filter(unit=self.unit))
        if form.is_valid():
            official = form.cleaned_data["official"]
            ok, _result = run_service(
                request,
                lambda: enrol_trainee(by=request.user, training_class=training_class, official=official),
                form=form,
            )
            if ok:
                messages.success(request, _("%(name)s is a trainee of the class.") % {"name": official.name})
                return HttpResponseRedirect(back)
        return self.render_to_response(self.context(code, form=form))


class UnitPlanView(UnitAdminRequiredMixin, TemplateView):
    """Next year's plan (or ``?year=`` this year's), filed or updated; due 31 December of the year before."""

    template_name = "courses/unit/plan.html"

    def year(self) -> int:
        this_year = timezone.localdate().year
        raw = self.request.GET.get("year") or self.request.POST.get("year") or ""
        return int(raw) if raw.isdigit() and this_year <= int(raw) <= this_year + 1 else this_year + 1

    def plan(self, year: int) -> UnitPlan | None:
        return UnitPlan.objects.filter(unit=self.unit, year=year).first()

    def get(self, request, **kwargs):
        return self.render_to_response(self.context())

    def context(self, form=None) -> dict:
        year = self.year()
        plan = self.plan(year)
        if form is None:
            initial = (
                {"planned_classes": plan.planned_classes, "expected_trainees": plan.expected_trainees,
                 "content": plan.content} if plan else {}
            )  # fmt: skip
            form = UnitPlanForm(initial=initial)
        return self.get_context_data(unit=self.unit, year=year, plan=plan, due=plan_due(year), form=form,
                                     late=timezone.localdate() > plan_due(year))  # fmt: skip

    def post(self, request, **kwargs):
        form = UnitPlanForm(request.POST)
        year = self.year()
        if form.is_valid():
            ok, _plan = run_service(
                request,
                lambda: file_unit_plan(by=request.user, unit=self.unit, year=year, **form.cleaned_data),
                form=form,
            )
            if ok:
                messages.success(request, _("The unit's training plan for %(year)s is filed.") % {"year": year})
                url = unit_url("courses:unit-plan", self.unit, request)
                return HttpResponseRedirect(url + ("&" if "?" in url else "?") + f"year={year}")
        return self.render_to_response(self.context(form))


class PlanBoardView(OrgStaffRequiredMixin, TemplateView):
    """Who has filed next year's plan (``?year=``) and who has not."""

    template_name = "courses/plans.html"

    def get_context_data(self, **kwargs) -> dict:
        this_year = timezone.localdate().year
        raw = self.request.GET.get("year", "")
        year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= this_year + 1 else this_year + 1
        board = plan_board(year=year)
        missing = list(units_without_plan(year=year))
        return super().get_context_data(
            year=year,
            board=board,
            missing=missing,
            filed=len(board) - len(missing),
            due=plan_due(year),
            years=list(range(this_year + 1, this_year - 4, -1)),
            **kwargs,
        )
