"""Years (/staff/years/): recompute a whole year with a progress bar, publish (lock) a year, reopen it with a reason,
choose the credit policy a year is assessed under (a what-if preview first, then confirm).

A recompute is a ``RecomputeJob``: with tasks in-process (no broker) it is done when the POST returns; with a
worker the progress partial polls the job row every second until it is done or failed. A policy switch starts one
(the year and the chain after it), shown with the same progress bar.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from credits.models import RecomputeJob, YearPolicy
from credits.policies import policies_of_years, policy_label
from credits.recompute import start_recompute
from credits.rules import POLICIES
from credits.selectors.city import YearRow, reopen_log, years_overview
from credits.services import check_year_open, publish_year, reopen_year, year_locked_message
from credits.year_policy import EXEMPT, preview_policy, set_year_policy
from kunshan_training.years import last_year, parse_year
from portal.access import OrgStaffRequiredMixin
from portal.forms.staff import PublishAnywayForm, ReopenYearForm, YearPolicyForm

from .staff_common import styled

POLL_SECONDS = 1


def _years_url(**params) -> str:
    url = reverse("portal:staff-years")
    return f"{url}?{urlencode(params)}" if params else url


class YearsView(OrgStaffRequiredMixin, TemplateView):
    template_name = "portal/staff/years.html"

    def get_context_data(self, **kwargs):
        rows = _with_planned_years(years_overview())
        policies = policies_of_years(row.year for row in rows)
        this_year = timezone.localdate().year
        job = None
        if self.request.GET.get("job", "").isdigit():
            job = RecomputeJob.objects.filter(pk=int(self.request.GET["job"])).first()
        reopen_forms = kwargs.pop("reopen_forms", {})
        for row in rows:
            row.reopen_form = styled(
                reopen_forms.get(row.year) or ReopenYearForm(auto_id=f"reopen-{row.year}-%s"), small=True
            )
            row.publish_form = styled(PublishAnywayForm(auto_id=f"publish-{row.year}-%s"), small=True)
            row.locked_text = year_locked_message(row.year) if row.published else ""
            row.policy = policies[row.year]
            row.begun = row.year <= this_year
            # The first other policy is offered: the current one is shown beside the control (and is marked).
            other = next((code for code in POLICIES if code != row.policy.code), row.policy.code)
            row.policy_form = YearPolicyForm(initial={"policy": other}, auto_id=f"policy-{row.year}-%s")
        return super().get_context_data(rows=rows, job=job, log=reopen_log()[:50], poll_seconds=POLL_SECONDS, **kwargs)


def _with_planned_years(rows: list[YearRow]) -> list[YearRow]:
    """The years with scores or a publication, plus the years after this one that the portal accepts (next year: its
    policy can be chosen ahead) and any year whose policy was chosen: newest first."""
    years = {row.year for row in rows}
    today = timezone.localdate().year
    wanted = set(range(today + 1, last_year() + 1)) | set(YearPolicy.objects.values_list("year", flat=True))
    rows = rows + [YearRow(year=year) for year in wanted - years]
    return sorted(rows, key=lambda row: -row.year)


class RecomputeView(OrgStaffRequiredMixin, View):
    """POST: recompute every score of the year. htmx gets the progress bar, a plain POST the years page."""

    http_method_names = ["post"]

    def post(self, request, year: int):
        try:
            year = parse_year(year)
            check_year_open(year)  # a published year's scores stay as published
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_years_url())
        job = start_recompute(by=request.user, year=year)
        job.refresh_from_db()  # in-process tasks have already run it
        if request.htmx:
            return render(request, "portal/staff/_recompute_progress.html", {"job": job, "poll_seconds": POLL_SECONDS})
        return HttpResponseRedirect(_years_url(job=job.pk))


class RecomputeProgressView(OrgStaffRequiredMixin, View):
    """GET: the job's progress bar; it polls itself (htmx) while the job is pending or running."""

    def get(self, request, pk: int):
        job = get_object_or_404(RecomputeJob, pk=pk)
        return render(request, "portal/staff/_recompute_progress.html", {"job": job, "poll_seconds": POLL_SECONDS})


class PublishYearView(OrgStaffRequiredMixin, View):
    """POST: publish (lock) the year. While records, imports or scores of the year still wait the service refuses
    and says what waits; ``override_reason`` publishes anyway (the reason is audited)."""

    http_method_names = ["post"]

    def post(self, request, year: int):
        anyway = "override_reason" in request.POST
        form = PublishAnywayForm(request.POST, auto_id=f"publish-{year}-%s")
        if anyway and not form.is_valid():
            messages.error(request, " ".join(form.errors["override_reason"]))
            return HttpResponseRedirect(_years_url())
        try:
            reason = form.cleaned_data["override_reason"] if anyway else ""
            publish_year(by=request.user, year=year, override_reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(year)s is published: its records and decisions are locked until the year is reopened.")
                % {"year": year},
            )
        return HttpResponseRedirect(_years_url())


class ReopenYearView(OrgStaffRequiredMixin, View):
    """POST reason=…: unlock a published year; the reason is required and kept in the log below the years."""

    http_method_names = ["post"]

    def post(self, request, year: int):
        form = ReopenYearForm(request.POST, auto_id=f"reopen-{year}-%s")
        if form.is_valid():
            try:
                reopen_year(by=request.user, year=year, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("%(year)s is reopened; the reason is logged.") % {"year": year})
            return HttpResponseRedirect(_years_url())
        view = YearsView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(reopen_forms={year: form}))


class YearPolicyView(OrgStaffRequiredMixin, View):
    """GET ?policy=…: what assessing the year under that credit policy would change (nothing is written), with the
    button that confirms it. POST policy=…: switch (the service recomputes the year and the chain after it) and go
    back to the years page with the recompute's progress bar."""

    def get(self, request, year: int):
        try:
            year = parse_year(year)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_years_url())
        form = YearPolicyForm(request.GET)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["policy"]))
            return HttpResponseRedirect(_years_url())
        preview = preview_policy(year=year, policy=form.cleaned_data["policy"])
        context = {
            "year": year,
            "preview": preview,
            "exempt": EXEMPT,
            "policy_now": policy_label(preview.policy_now),
            "policy_after": policy_label(preview.policy),
            "locked_text": year_locked_message(year) if preview.published else "",
            "begun": year <= timezone.localdate().year,
        }
        return render(request, "portal/staff/year_policy.html", context)

    def post(self, request, year: int):
        form = YearPolicyForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["policy"]))
            return HttpResponseRedirect(_years_url())
        try:
            switch = set_year_policy(by=request.user, year=year, policy=form.cleaned_data["policy"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_years_url())
        words = {"year": switch.year, "policy": policy_label(switch.policy)}
        if not switch.changed:
            messages.info(request, _("%(year)s is already assessed under %(policy)s; nothing was changed.") % words)
            return HttpResponseRedirect(_years_url())
        if switch.job is None:
            messages.success(
                request, _("%(year)s will be assessed under %(policy)s; its results are computed as its records come "
                           "in.") % words,
            )  # fmt: skip
            return HttpResponseRedirect(_years_url())
        messages.success(
            request, _("%(year)s is now assessed under %(policy)s: its results and those of the years after it are "
                       "being recomputed.") % words,
        )  # fmt: skip
        return HttpResponseRedirect(_years_url(job=switch.job.pk))
