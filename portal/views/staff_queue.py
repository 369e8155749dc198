"""The approval queue (/staff/): submitted records with filters, approve one, many, or reject one with a reason.

Approve and reject answer htmx with the record's row (swapped in place) and a plain POST with a redirect back to
the queue and a message. A published (locked) year or a record someone else reviewed first is a message, not a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from credits.filtersets import ActivityRecordFilterSet
from credits.models import ActivityRecord, Status
from credits.selectors.city import review_queue
from credits.services import approve_record, approve_records, reject_record
from portal.access import OrgStaffRequiredMixin
from portal.forms.common import add_service_errors
from portal.forms.staff import BulkApproveForm, RejectForm
from portal.tables import ReviewQueueTable, configure

from .staff_common import back_to, styled

QUEUE_FILTERS = ("q", "unit", "kind", "category", "status", "occurred_after", "occurred_before")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class ReviewQueueView(OrgStaffRequiredMixin, TemplateView):
    template_name = "portal/staff/queue.html"

    def get_context_data(self, **kwargs):
        data = self.request.GET.copy()
        if "status" not in data:  # the queue opens on what waits for review; "all statuses" sends status=
            data.setlist("status", [Status.SUBMITTED])
        filterset = ActivityRecordFilterSet(data, queryset=review_queue(self.request.user), request=self.request)
        styled(filterset.form, small=True)
        filterset.is_valid()  # a bad value (a malformed date) is reported on its field and that filter is skipped
        for name, errors in filterset.form.errors.items():  # a filter the form does not show (?year=): a message
            if name not in QUEUE_FILTERS:
                messages.warning(self.request, f"{filterset.form[name].label}: {' '.join(errors)}")
        table = configure(self.request, ReviewQueueTable(filterset.qs))
        return super().get_context_data(
            filterset=filterset,
            table=table,
            filter_fields=[filterset.form[name] for name in QUEUE_FILTERS],
            filtered=any(self.request.GET.get(name) for name in QUEUE_FILTERS if name != "status"),
            **kwargs,
        )


class BulkApproveView(OrgStaffRequiredMixin, View):
    """POST record_ids=…: approve the ticked records that still wait for review (one set-based service call)."""

    http_method_names = ["post"]

    def post(self, request):
        form = BulkApproveForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["record_ids"]))
            return HttpResponseRedirect(back_to(request))
        wanted = form.cleaned_data["record_ids"]
        try:
            approved = approve_records(by=request.user, record_ids=wanted)
        except ValidationError as error:
            messages.error(request, _error_text(error))
            return HttpResponseRedirect(back_to(request))
        if approved:
            messages.success(
                request,
                ngettext("%(count)s record approved.", "%(count)s records approved.", approved) % {"count": approved},
            )
        skipped = len(set(wanted)) - approved
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)s selected record no longer waits for review and was left as it is.",
                    "%(count)s selected records no longer wait for review and were left as they are.",
                    skipped,
                )
                % {"count": skipped},
            )
        return HttpResponseRedirect(back_to(request))


class RecordActionMixin(OrgStaffRequiredMixin):
    """The record from the queue's scoped queryset (404 outside it), and answers as a row (htmx) or a redirect."""

    def record(self) -> ActivityRecord:
        return get_object_or_404(review_queue(self.request.user), pk=self.kwargs["pk"])

    def row(self, record: ActivityRecord, *, done: str = "", error: str = "", status: int = 200) -> HttpResponse:
        record = get_object_or_404(review_queue(self.request.user), pk=record.pk)  # fresh status and duplicate flag
        table = ReviewQueueTable([record])
        return render(
            self.request,
            "portal/staff/_queue_row.html",
            {"record": record, "table": table, "done": done, "error": error, "next": back_to(self.request)},
            status=status,
        )


class ApproveRecordView(RecordActionMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        record = self.record()
        try:
            record = approve_record(by=request.user, record=record)
        except ValidationError as error:
            if request.htmx:
                return self.row(record, error=_error_text(error))
            messages.error(request, _error_text(error))
            return HttpResponseRedirect(back_to(request))
        done = _("Approved: %(official)s, %(kind)s of %(date)s.") % _record_words(record)
        if request.htmx:
            return self.row(record, done=done)
        messages.success(request, done)
        return HttpResponseRedirect(back_to(request))


def _record_words(record: ActivityRecord) -> dict[str, str]:
    """What a confirmation message names: whose record, which kind, which day."""
    return {"official": record.official.name, "kind": record.get_kind_display(), "date": record.occurred_on.isoformat()}


class RejectRecordView(RecordActionMixin, View):
    """GET: the reason form (a row for htmx, a page otherwise). POST: reject with the required reason."""

    def get(self, request, pk: int):
        return self.form_response(self.record(), RejectForm())

    def post(self, request, pk: int):
        record = self.record()
        form = RejectForm(request.POST)
        if form.is_valid():
            try:
                record = reject_record(by=request.user, record=record, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = _("Rejected: %(official)s, %(kind)s of %(date)s. The declarer is told why.") % _record_words(
                    record
                )
                if request.htmx:
                    return self.row(record, done=done)
                messages.success(request, done)
                return HttpResponseRedirect(back_to(request))
        return self.form_response(record, form)

    def form_response(self, record: ActivityRecord, form: RejectForm) -> HttpResponse:
        styled(form, small=bool(self.request.htmx))
        context = {
            "record": record,
            "form": form,
            "table": ReviewQueueTable([record]),
            "next": back_to(self.request),
        }
        template = "portal/staff/_reject_row.html" if self.request.htmx else "portal/staff/reject.html"
        return render(self.request, template, context)


class QueueRowView(RecordActionMixin, View):
    """GET: the record's row as it is (htmx "cancel" of the reject form)."""

    def get(self, request, pk: int):
        return self.row(self.record())
