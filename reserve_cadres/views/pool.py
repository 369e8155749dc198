"""The pool's list pages: the published list (every signed-in user), the pool for the training section by stream and
unit with flags and who turns too old within 90 days (and the overdue follow-up of every unit), a unit's reserves
and what is due, adding a reserve, and the pool list as xlsx and PDF.

Flags, the 90-day look-ahead and due dates come from ``selectors.reserves`` (``flagged``, ``due_items``), read once
for the whole list — never a query per reserve."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from courses.views.mixins import SignedInMixin
from kunshan_training.downloads import download_response
from organisation.roles import is_org_staff
from portal.access import OrgStaffRequiredMixin, UnitAdminRequiredMixin
from portal.forms.common import run_service

from .. import exports
from ..forms import PoolFilterForm, ReserveForm
from ..models import ReserveStatus, Stream
from ..selectors.reserves import due_items, flagged, published_list, reserves_visible_to
from ..services.reserves import add_reserve
from ..tables import PoolTable, PublishedTable, due_word, flag_words
from .common import day_of

ADD_IDS = "add-%s"  # the pool page also has the filter form (stream, level): the add form's ids are its own


class PublishedListView(SignedInMixin, TemplateView):
    """后备干部名单: name, unit, level and stream of the reserves in the pool, for everyone signed in."""

    template_name = "reserve_cadres/published.html"

    def get_context_data(self, **kwargs) -> dict:
        reserves = published_list().select_related("official__unit")
        stream = self.request.GET.get("stream") or ""
        if stream in Stream.values:
            reserves = reserves.filter(stream=stream)
        table = PublishedTable(reserves, request=self.request)
        return super().get_context_data(table=table, streams=Stream.choices, stream=stream, **kwargs)


def filtered_pool(request):
    """The reserves the filters of the request ask for, the filter form and the day of the flags."""
    form = PoolFilterForm(request.GET or None)
    day = day_of(request)
    reserves = reserves_visible_to(request.user).select_related("official__unit")
    unit = None
    if form.is_bound:
        form.is_valid()  # the fields typed well filter; a bad one is marked on the form and ignored
        data = form.cleaned_data
        unit = data.get("unit")
        for name in ("stream", "level", "status"):
            if data.get(name):
                reserves = reserves.filter(**{name: data[name]})
        if unit is not None:
            reserves = reserves.filter(official__unit=unit)
    return form, reserves, day, unit


class PoolView(OrgStaffRequiredMixin, TemplateView):
    template_name = "reserve_cadres/pool.html"

    def get_context_data(self, **kwargs) -> dict:
        form, reserves, day, unit = filtered_pool(self.request)
        rows = flagged(day=day, reserves=reserves)
        by_reserve = {row.reserve.pk: row for row in rows}
        to_confirm = [{"reserve": row.reserve, "flag_words": flag_words(row.flags)} for row in rows if row.flags]
        soon = sorted((row for row in rows if row.soon_too_old), key=lambda row: row.soon_too_old)
        overdue = [due_row(item) for item in due_items(day=day, reserves=reserves) if item.overdue]
        active = Counter(
            (r["stream"], r["official__unit__code"], r["official__unit__name"])
            for r in reserves.filter(status=ReserveStatus.ACTIVE).values(
                "stream", "official__unit__code", "official__unit__name"
            )
        )
        streams = dict(Stream.choices)
        by_stream = [
            {"stream": streams.get(s, s), "unit": name, "code": code, "count": n}
            for (s, code, name), n in sorted(active.items())
        ]
        return super().get_context_data(
            form=form,
            day=day,
            table=PoolTable(reserves, flags=by_reserve, request=self.request),
            to_confirm=to_confirm,
            soon=soon,
            overdue=overdue,
            by_stream=by_stream,
            add_form=kwargs.pop("add_form", None) or ReserveForm(auto_id=ADD_IDS),
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class AddReserveView(OrgStaffRequiredMixin, View):
    """A reserve decided by the county committee (a POST from the pool page)."""

    def post(self, request):
        form = ReserveForm(request.POST, auto_id=ADD_IDS)
        if form.is_valid():
            ok, reserve = run_service(request, lambda: add_reserve(by=request.user, **form.cleaned_data), form=form)
            if ok:
                messages.success(request, _("%(name)s is in the pool.") % {"name": reserve.official.name})
                return redirect("reserve_cadres:file", pk=reserve.pk)
        view = PoolView()
        view.setup(request)
        return view.render_to_response(view.get_context_data(add_form=form))


class PoolExportView(OrgStaffRequiredMixin, View):
    """The pool list as filtered, as xlsx or PDF (an attachment with a safe name)."""

    def get(self, request, fmt: str):
        form, reserves, day, unit = filtered_pool(request)
        rows = {row.reserve.pk: row for row in flagged(day=day, reserves=reserves)}
        reserves = list(reserves)
        name = _("Reserve cadre pool %(day)s") % {"day": day.isoformat()}
        ascii_name = f"reserve-pool-{day.isoformat()}"
        if fmt == "pdf":
            content = exports.pool_pdf(reserves, rows, day=day)
            return download_response(
                exports.as_file(content), name=f"{name}.pdf", ascii_name=f"{ascii_name}.pdf",
                content_type=exports.PDF_CONTENT_TYPE,
            )  # fmt: skip
        return download_response(
            exports.pool_xlsx(reserves, rows, day=day), name=f"{name}.xlsx", ascii_name=f"{ascii_name}.xlsx",
            content_type=exports.XLSX_CONTENT_TYPE,
        )  # fmt: skip


class UnitReservesView(UnitAdminRequiredMixin, TemplateView):
    """A unit's reserves and what is due or overdue (talks, reflections, the yearly assessment by 25 December);
    the training section opens any unit's with ``?unit=CODE``."""

    template_name = "reserve_cadres/unit.html"

    def dispatch(self, request, *args, **kwargs):
        # The training section without ?unit= goes to the pool (the portal's mixin would refuse it).
        if request.user.is_authenticated and is_org_staff(request.user) and not request.GET.get("unit"):
            return redirect("reserve_cadres:pool")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs) -> dict:
        day = day_of(self.request)
        reserves = list(
            reserves_visible_to(self.request.user).filter(official__unit=self.unit).select_related("official__unit")
        )
        flags = {row.reserve.pk: row for row in flagged(day=day, unit_id=self.unit.pk)}
        items = sorted(due_items(day=day, unit_id=self.unit.pk), key=lambda i: (not i.overdue, i.due_on))
        return super().get_context_data(
            unit=self.unit,
            day=day,
            reserves=[
                {"reserve": r, "flag_words": flag_words(flags[r.pk].flags) if r.pk in flags else []} for r in reserves
            ],
            items=[due_row(item) for item in items],
            overdue_count=sum(1 for i in items if i.overdue),
            **kwargs,
        )


def due_row(item) -> dict:
    """A due item as the pages show it: the reserve, what (in words) of which period, the due date, overdue or not."""
    return {
        "reserve": item.reserve,
        "what": item.what,
        "what_label": due_word(item.what),
        "period": item.period,
        "due_on": item.due_on,
        "overdue": item.overdue,
    }
