"""Import pages (/imports/): check a spreadsheet (a dry run that writes nothing), see every problem by row and
column, then import it; a large file runs in the worker and its page polls the job's progress (htmx).

Unit study administrators import their unit's activity records; the training section also units and officials.
Jobs are looked up through ``jobs_visible_to`` (someone else's job is 404); officials get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView

from imports.models import ImportJob, ImportKind
from imports.registry import is_known, kind_label, writes_records
from imports.services import confirm_import, jobs_visible_to, may_import, start_import
from imports.workbook import XLSX_CONTENT_TYPE, template_filename, template_workbook
from kunshan_training.downloads import content_disposition
from portal.forms.imports import ImportForm, importable_kinds

from .staff_common import styled

POLL_SECONDS = 1
RECENT_JOBS = 20


class ImporterRequiredMixin(LoginRequiredMixin):
    """Unit study administrators and the training section (others: 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_import(request.user, ImportKind.ACTIVITIES):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _job_url(job: ImportJob) -> str:
    return reverse("portal:import-job", args=[job.pk])


class ImportView(ImporterRequiredMixin, FormView):
    """The form (kind, year, file), the templates to download and the recent imports."""

    template_name = "portal/imports/import.html"

    def get_form(self, form_class=None):
        return styled(ImportForm(**self.get_form_kwargs(), user=self.request.user))

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if is_known(kind) else {}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            job = start_import(by=self.request.user, kind=data["kind"], upload=data["file"], dry_run=True,
                               year=data["year"], create_accounts=data.get("create_accounts", False))  # fmt: skip
        except ValidationError as error:
            form.add_error("file", error.messages)
            return self.form_invalid(form)
        return HttpResponseRedirect(_job_url(job))

    def get_context_data(self, **kwargs):
        user = self.request.user
        kinds = importable_kinds(user)
        jobs = jobs_visible_to(user)[:RECENT_JOBS]
        return super().get_context_data(kinds=kinds, jobs=jobs, **kwargs)


class TemplateView(ImporterRequiredMixin, View):
    """GET: the kind's template (.xlsx): Chinese headers, the codes, the instructions."""

    def get(self, request, kind: str):
        if not is_known(kind):
            raise Http404
        if not may_import(request.user, kind):
            raise PermissionDenied
        response = HttpResponse(template_workbook(kind, request.user), content_type=XLSX_CONTENT_TYPE)
        name = _("%(kind)s import template") % {"kind": kind_label(kind)}  # 学习记录导入模板
        response["Content-Disposition"] = content_disposition(f"{name}.xlsx", ascii_name=template_filename(kind))
        return response


class JobView(ImporterRequiredMixin, DetailView):
    """A job: its progress while it runs, then what it found or did."""

    template_name = "portal/imports/job.html"
    context_object_name = "job"

    def get_queryset(self):
        return jobs_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        writes = writes_records(self.object.kind)
        return super().get_context_data(poll_seconds=POLL_SECONDS, writes_records=writes, **kwargs)


class JobStatusView(JobView):
    """The job's status block alone; it asks for itself again while the job runs (htmx)."""

    template_name = "portal/imports/_job_status.html"


class ConfirmView(ImporterRequiredMixin, View):
    """POST: import for real the file of a dry run that found no problems."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
        try:
            new = confirm_import(by=request.user, job=job)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_job_url(job))
        return HttpResponseRedirect(_job_url(new))
