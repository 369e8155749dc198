"""The official's own pages (我的学分, /me/): the year's standing and records, declaring, withdrawing a declaration,
and the print-ready registration form and training archive.

Every page is for the signed-in official only (``OfficialRequiredMixin``: others get 403); records are looked up
among the official's own, so anyone else's record is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from credits.models import ActivityRecord, Status
from credits.selectors.officials import (
    archive_context,
    credits_year_context,
    registration_form_context,
    similar_records,
)
from credits.services import create_record, redeclare_record, withdraw_record
from kunshan_training.years import parse_year
from portal.access import OfficialRequiredMixin
from portal.forms.official import DeclarationForm, declarable_kinds, kind_groups


def my_credits_url(year: int | None = None) -> str:
    url = reverse("portal:my-credits")
    return f"{url}?year={year}" if year else url


class MyCreditsView(OfficialRequiredMixin, TemplateView):
    """This year's standing (or ``?year=``), the year's records by category, and the years before."""

    template_name = "portal/official/my_credits.html"

    def get_context_data(self, **kwargs) -> dict:
        today = timezone.localdate()
        context = super().get_context_data(**kwargs)
        context.update(credits_year_context(self.official, year=self._year(today), today=today))
        context["redeclarable_kinds"] = declarable_kinds(context["policy"])  # a returned record of these has 再次申报
        return context

    def _year(self, today) -> int:
        raw = (self.request.GET.get("year") or "").strip()
        if not raw:
            return today.year
        try:
            return parse_year(raw, today=today, latest=today.year)
        except ValidationError:
            messages.warning(
                self.request,
                _("There is no year “%(value)s” to show; showing %(year)s.") % {"value": raw[:10], "year": today.year},
            )
            return today.year


def either_of(words: list[str]) -> str:
    """ "a、b or c" in the active language (the categories one may declare)."""
    if len(words) < 2:
        return "".join(words)
    return _("%(first)s or %(last)s") % {"first": "、".join(words[:-1]), "last": words[-1]}


class DeclareView(OfficialRequiredMixin, FormView):
    """申报: off-job training or self-study with evidence; it waits for the training section's review.

    A record of the same kind and date already waiting or approved is a warning at entry (htmx, as the kind and the
    date are chosen) and on submitting: the declarer confirms past it with a tick; it is never a block."""

    template_name = "portal/official/declare.html"
    form_class = DeclarationForm
    returned: ActivityRecord | None = None  # the returned record being corrected and declared again

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        form = context["form"]
        groups = kind_groups(form.policy)
        context.update(
            official=self.official,
            kind_groups=groups,
            returned=self.returned,
            declarable_words=either_of([group["label"] for group in groups]),
            # Kinds entered by others (Kunshan: the organisers and the unit); none under a self-declared scheme.
            others_entered=len(declarable_kinds(form.policy)) < len(form.policy.kinds),
        )
        if "similar" not in context and form.is_bound and form.is_valid():
            context["similar"] = self.similar(form.cleaned_data)
        return context

    def similar(self, data: dict) -> list[ActivityRecord]:
        if not data.get("kind") or not data.get("occurred_on"):
            return []
        return similar_records(official=self.official, kind=data["kind"], occurred_on=data["occurred_on"])

    def form_valid(self, form: DeclarationForm) -> HttpResponse:
        data = form.cleaned_data
        similar = self.similar(data)
        if similar and not data.get("confirm_duplicate"):
            return self.render_to_response(self.get_context_data(form=form, similar=similar, confirm_needed=True))
        try:
            record = self.save(data)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your declaration “%(kind)s” of %(date)s was submitted; the training section will review it.")
            % {"kind": record.get_kind_display(), "date": record.occurred_on.isoformat()},
        )
        return redirect(f"{my_credits_url(record.occurred_on.year)}#record-{record.pk}")

    def save(self, data: dict) -> ActivityRecord:
        return create_record(
            by=self.request.user,
            official=self.official,
            kind=data["kind"],
            quantity=data["quantity"],
            occurred_on=data["occurred_on"],
            note=data["note"],
            class_passed=data["class_passed"],
            evidence=data["evidence"],
            hours=data.get("hours"),
            points=data.get("points"),
        )


class RedeclareView(DeclareView):
    """Correct a returned (已退回) declaration and declare it again: the form filled in from it, its evidence kept
    unless a new file is chosen; the returned record stays with its reason (``credits.services.redeclare_record``)."""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["keeps_evidence"] = bool(self.returned_record().evidence)
        return kwargs

    def returned_record(self) -> ActivityRecord:
        if self.returned is None:
            self.returned = get_object_or_404(
                ActivityRecord.objects.filter(official=self.official, status=Status.REJECTED), pk=self.kwargs["pk"]
            )
        return self.returned

    def get_initial(self) -> dict:
        record = self.returned_record()
        return {
            "kind": record.kind,
            "quantity": record.quantity,
            "occurred_on": record.occurred_on.isoformat(),
            "note": record.note,
            "class_passed": record.class_passed,
            "hours": record.hours,
            "points": record.points,
        }

    def similar(self, data: dict) -> list[ActivityRecord]:
        return [r for r in super().similar(data) if r.pk != self.returned_record().pk]

    def save(self, data: dict) -> ActivityRecord:
        return redeclare_record(
            by=self.request.user,
            record=self.returned_record(),
            kind=data["kind"],
            quantity=data["quantity"],
            occurred_on=data["occurred_on"],
            note=data["note"],
            class_passed=data["class_passed"],
            evidence=data["evidence"],
            points=data.get("points"),
            hours=data.get("hours"),
        )


class SimilarRecordsView(OfficialRequiredMixin, View):
    """htmx, as the kind and the date are chosen: a warning when the same kind and date are already on record."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DeclarationForm(request.GET)
        form.is_valid()  # only the kind and the date are read; the other fields are not sent
        data = {name: form.cleaned_data.get(name) for name in ("kind", "occurred_on")}
        similar = []
        if data["kind"] and data["occurred_on"]:
            exclude = request.GET.get("returned")
            similar = similar_records(
                official=self.official, kind=data["kind"], occurred_on=data["occurred_on"],
                exclude=int(exclude) if exclude and exclude.isdigit() and len(exclude) < 12 else None,
            )  # fmt: skip
        return render(request, "portal/official/_similar.html", {"similar": similar, "form": form})


class WithdrawRecordView(OfficialRequiredMixin, View):
    """Take back one's own declaration before review. htmx swaps the table row; a plain POST goes back to the page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        record = get_object_or_404(ActivityRecord.objects.filter(official=self.official), pk=pk)
        problem = None
        try:
            record = withdraw_record(by=request.user, record=record)
        except ValidationError as error:
            problem = " ".join(error.messages)
        except PermissionDenied as error:
            problem = str(error)
        if problem:
            record.refresh_from_db()
        if request.htmx:
            # The row, and out of band the page's count of records waiting for review.
            pending = ActivityRecord.objects.filter(
                official=self.official, occurred_on__year=record.occurred_on.year, status=Status.SUBMITTED
            ).count()
            row = render(request, "portal/official/_record_row.html", {"record": record, "row_problem": problem})
            count = render(request, "portal/official/_pending_count.html", {"pending": pending, "oob": True})
            return HttpResponse(row.content + count.content)
        if problem:
            messages.error(request, problem)
        else:
            messages.success(
                request,
                _("Your declaration “%(kind)s” of %(date)s was withdrawn.")
                % {"kind": record.get_kind_display(), "date": record.occurred_on.isoformat()},
            )
        return redirect(my_credits_url(record.occurred_on.year))


class PrintYearMixin:
    def checked_year(self, year: int) -> int:
        try:
            return parse_year(year, latest=timezone.localdate().year)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error


class RegistrationFormView(OfficialRequiredMixin, PrintYearMixin, TemplateView):
    """The training section of 《干部年度考核登记表》 for a year, ready to print on A4."""

    template_name = "portal/official/registration_form.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        year = self.checked_year(kwargs["year"])
        context.update(registration_form_context(self.official, year), back_url=my_credits_url(year))
        return context


class ArchiveView(OfficialRequiredMixin, TemplateView):
    """The training archive: every year's result and every approved record, ready to print."""

    template_name = "portal/official/archive.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(archive_context(self.official), back_url=my_credits_url())
        return context
