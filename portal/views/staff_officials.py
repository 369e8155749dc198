"""Officials for the training section (/staff/officials/): search, one official's year, and the section's decisions
on it — discretionary points (酌情赋分), exemptions (免于考核) and vetoes (一票否决) — plus the printable registration
form and training archive of any official (the official pages' templates, rendered for staff)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from audit.models import ChangeLog
from credits.models import ActivityRecord, Exemption, Kind, PublishedYear, Status, Veto
from credits.selectors.city import default_year, official_year_file, officials_directory, score_years
from credits.selectors.officials import archive_context, registration_form_context
from credits.services import (
    DECISION_MODELS,
    correct_record,
    create_record,
    record_exemption,
    record_veto,
    remove_decision,
    removed_decisions,
    restore_decision,
    revoke_record,
    year_locked_message,
)
from kunshan_training.years import parse_year
from organisation.filtersets import OfficialFilterSet
from organisation.models import Official
from organisation.selectors import officials_visible_to
from portal.access import OrgStaffRequiredMixin
from portal.forms.common import add_service_errors
from portal.forms.staff import (
    CorrectRecordForm,
    DiscretionaryPointsForm,
    ExemptionForm,
    OfficialSearchForm,
    RevokeRecordForm,
    VetoForm,
)
from portal.tables import OfficialsTable, configure

from .staff_common import styled


def chosen_year(request, years: list[int]) -> tuple[int, str]:
    """The ``year`` asked for (GET or POST), else the default; and a message when the asked-for one was unusable."""
    today = timezone.localdate()
    raw = request.POST.get("year") or request.GET.get("year")
    if raw:
        try:
            return parse_year(raw, today=today, latest=today.year), ""
        except ValidationError:
            pass
        return default_year(years, today), _("“%(value)s” is not a year that can be shown; showing %(year)s.") % {
            "value": raw[:10],
            "year": default_year(years, today),
        }
    return default_year(years, today), ""


def official_url(official: Official, year: int) -> str:
    return f"{reverse('portal:staff-official', args=[official.staff_no])}?{urlencode({'year': year})}"


class OfficialsView(OrgStaffRequiredMixin, TemplateView):
    """Search officials by name, staff number and unit, with their stored result of the year."""

    template_name = "portal/staff/officials.html"

    def get_context_data(self, **kwargs):
        years = score_years()
        year, year_error = chosen_year(self.request, years)
        form = styled(OfficialSearchForm(self.request.GET or None), small=True)
        search, unit = "", ""
        if form.is_valid():
            search, unit = form.cleaned_data["q"], form.cleaned_data["unit"]
        officials = officials_directory(self.request.user, year=year, search=search, unit_code=unit)
        # 无账号, grade and exempt: the shared FilterSet (the API's); search, unit and year are read above.
        data = self.request.GET.copy()
        for handled in ("q", "unit", "year", "rank"):
            data.pop(handled, None)
        filters = OfficialFilterSet(data, queryset=officials, year=year)
        styled(filters.form, small=True)
        if filters.is_valid():
            officials = filters.qs
        table = configure(self.request, OfficialsTable(officials, year=year))
        return super().get_context_data(
            form=form,
            filter_fields=[filters.form[name] for name in ("login", "grade", "exempt")],
            table=table,
            year=year,
            years=sorted({*years, year}, reverse=True),
            year_error=year_error,
            **kwargs,
        )


class OfficialPageMixin(OrgStaffRequiredMixin):
    """The official from the user's scope (404 otherwise) and the year shown."""

    @cached_property
    def years(self) -> list[int]:
        return score_years()

    @property
    def year(self) -> int:
        return self.chosen[0]

    @cached_property
    def chosen(self) -> tuple[int, str]:
        return chosen_year(self.request, self.years)

    def get_official(self) -> Official:
        return get_object_or_404(officials_visible_to(self.request.user), staff_no=self.kwargs["staff_no"])


class OfficialDetailView(OfficialPageMixin, TemplateView):
    """An official's year: standing, records, exemption and vetoes with the forms to decide them."""

    template_name = "portal/staff/official.html"

    def get(self, request, *args, **kwargs):
        self.official = self.get_official()
        return self.page()

    def page(self, **forms) -> HttpResponse:
        if self.chosen[1]:
            messages.warning(self.request, self.chosen[1])
        year = self.year
        forms.setdefault("points_form", DiscretionaryPointsForm(year=year, auto_id=DiscretionaryPointsView.auto_id))
        forms.setdefault("exemption_form", ExemptionForm(auto_id=ExemptionView.auto_id))
        forms.setdefault("veto_form", VetoForm(auto_id=VetoView.auto_id))
        for form in forms.values():
            styled(form)
        file = official_year_file(self.request.user, official=self.official, year=year, today=timezone.localdate())
        return self.render_to_response(
            self.get_context_data(
                file=file,
                official=self.official,
                year=year,
                closed=year < timezone.localdate().year,
                locked_text=year_locked_message(year) if file.published else "",
                removed=[] if file.published else removed_decisions(official=self.official, year=year),
                years=sorted({*self.years, timezone.localdate().year, year}, reverse=True),
                **forms,
            )
        )


class DecisionView(OfficialDetailView):
    """A POST that decides something about the official's year; on a problem the page comes back with the form."""

    http_method_names = ["post"]
    form_class: type
    form_name: str
    auto_id: str  # the page holds the three forms at once: each its own ids ("veto-reason", not "id_reason" twice)

    def post(self, request, *args, **kwargs):
        self.official = self.get_official()
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                done = self.decide(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(official_url(self.official, self.year))
        for problem in form.non_field_errors():  # a locked year, a duplicate: said at the top of the page
            messages.error(request, problem)
        return self.page(**{self.form_name: form})

    def make_form(self, data):
        return self.form_class(data, auto_id=self.auto_id)

    def decide(self, data: dict) -> str:
        raise NotImplementedError


class DiscretionaryPointsView(DecisionView):
    form_class, form_name, auto_id = DiscretionaryPointsForm, "points_form", "points-%s"

    def make_form(self, data):
        return DiscretionaryPointsForm(data, year=self.year, auto_id=self.auto_id)

    def decide(self, data: dict) -> str:
        create_record(
            by=self.request.user,
            official=self.official,
            kind=Kind.DISCRETIONARY,
            category=data["category"],
            points=data["points"],
            quantity=1,
            occurred_on=data["occurred_on"],
            note=data["note"],
        )
        return _("%(points)s discretionary points recorded for %(name)s.") % {
            "points": data["points"],
            "name": self.official.name,
        }


class ExemptionView(DecisionView):
    form_class, form_name, auto_id = ExemptionForm, "exemption_form", "exemption-%s"

    def decide(self, data: dict) -> str:
        exemption = record_exemption(
            by=self.request.user, official=self.official, year=self.year, reason=data["reason"], note=data["note"]
        )
        return _("%(name)s is exempt from the %(year)s assessment: %(reason)s.") % {
            "name": self.official.name,
            "year": self.year,
            "reason": exemption.get_reason_display(),
        }


class VetoView(DecisionView):
    form_class, form_name, auto_id = VetoForm, "veto_form", "veto-%s"

    def decide(self, data: dict) -> str:
        veto = record_veto(
            by=self.request.user, official=self.official, year=self.year, reason=data["reason"], note=data["note"]
        )
        return _("Veto recorded for %(name)s in %(year)s: %(reason)s. The grade is “fail”.") % {
            "name": self.official.name,
            "year": self.year,
            "reason": veto.get_reason_display(),
        }


class RemoveDecisionView(OfficialPageMixin, View):
    """POST: take back an exemption or a veto of the official (looked up through the official: 404 otherwise)."""

    http_method_names = ["post"]
    model: type[Exemption] | type[Veto] = Exemption

    def post(self, request, staff_no: str, pk: int):
        official = self.get_official()
        decision = get_object_or_404(self.model.objects.filter(official=official), pk=pk)
        try:
            remove_decision(by=request.user, decision=decision)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Removed: %(what)s of %(year)s (%(reason)s).")
                % {
                    "what": self.model._meta.verbose_name,
                    "year": decision.year,
                    "reason": decision.get_reason_display(),
                },
            )
        return HttpResponseRedirect(official_url(official, decision.year))


class RestoreDecisionView(OfficialPageMixin, View):
    """POST: undo the removal of an exemption or a veto (offered on the official's page for a day)."""

    http_method_names = ["post"]

    def post(self, request, staff_no: str, pk: int):
        official = self.get_official()
        entry = get_object_or_404(
            ChangeLog.objects.filter(model__in=list(DECISION_MODELS), action=ChangeLog.Action.DELETE),
            pk=pk,
            old__official=official.pk,
        )
        try:
            decision = restore_decision(by=request.user, entry=entry)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Restored: %(what)s of %(year)s (%(reason)s).")
                % {"what": decision._meta.verbose_name, "year": decision.year, "reason": decision.get_reason_display()},
            )
        return HttpResponseRedirect(official_url(official, entry.old.get("year", self.year)))


class RecordActionView(OfficialPageMixin, TemplateView):
    """Revoke or correct an APPROVED record of the official: GET shows the record and the form (the confirmation
    page: it says what will change), POST does it and goes back to the official's year."""

    template_name = "portal/staff/record_action.html"
    action = ""

    def get_record(self) -> ActivityRecord:
        self.official = self.get_official()
        return get_object_or_404(
            ActivityRecord.objects.filter(official=self.official, status=Status.APPROVED), pk=self.kwargs["pk"]
        )

    def make_form(self, record, data=None):
        raise NotImplementedError

    def act(self, record, form) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        record = self.get_record()
        return self.show(record, self.make_form(record))

    def show(self, record, form):
        year = record.occurred_on.year
        locked = year_locked_message(year) if PublishedYear.objects.filter(year=year).exists() else ""
        return self.render_to_response(
            self.get_context_data(
                record=record, official=self.official, form=styled(form), action=self.action, locked_text=locked,
                back=official_url(self.official, year),
            )
        )  # fmt: skip

    def post(self, request, *args, **kwargs):
        record = self.get_record()
        form = self.make_form(record, request.POST)
        if form.is_valid():
            try:
                done = self.act(record, form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(official_url(self.official, record.occurred_on.year))
        return self.show(record, form)


class RevokeRecordView(RecordActionView):
    action = "revoke"

    def make_form(self, record, data=None):
        return RevokeRecordForm(data)

    def act(self, record, form) -> str:
        revoke_record(by=self.request.user, record=record, reason=form.cleaned_data["reason"])
        done = _("The approval of %(kind)s of %(date)s is revoked; the record no longer counts and %(name)s is told.")
        return done % {
            "kind": record.get_kind_display(),
            "date": record.occurred_on.isoformat(),
            "name": self.official.name,
        }


class CorrectRecordView(RecordActionView):
    action = "correct"

    def make_form(self, record, data=None):
        return CorrectRecordForm(data, record=record)

    def act(self, record, form) -> str:
        correct_record(by=self.request.user, record=record, reason=form.cleaned_data["reason"], **form.changes())
        return _("%(kind)s of %(date)s is corrected; the scores are being recomputed.") % {
            "kind": record.get_kind_display(),
            "date": record.occurred_on.isoformat(),
        }


class StaffRegistrationFormView(OfficialPageMixin, TemplateView):
    """The official's 《干部年度考核登记表》 (training section) for a year, as the official prints it."""

    template_name = "portal/official/registration_form.html"

    def get_context_data(self, **kwargs):
        official = self.get_official()
        try:
            year = parse_year(kwargs["year"], latest=timezone.localdate().year)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        return super().get_context_data(
            **registration_form_context(official, year), back_url=official_url(official, year)
        )


class StaffArchiveView(OfficialPageMixin, TemplateView):
    """The official's training archive, as the official prints it."""

    template_name = "portal/official/archive.html"

    def get_context_data(self, **kwargs):
        official = self.get_official()
        return super().get_context_data(**archive_context(official), back_url=official_url(official, self.year))
