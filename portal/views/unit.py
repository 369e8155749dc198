"""The unit study administrator's pages (/unit/): officials at risk, central-group sessions, declarations, report.

Org-dept staff open them for any unit with ``?unit=CODE``; every link and redirect carries it along.
Reads come from ``credits.selectors.units`` (which also counts: risk, grades, pass lines, hours short); writes go
through ``credits.services``. The views only put the year's policy's words on what the selectors give.

Decisions where RULES.md is silent (how the pages say it):

* Score columns follow the year's policy: its categories, then the figures it stores (``policy_figures``): for a
  policy that carries credits (baoji-2009) earned and carried in before the total, which is headed "effective
  credits", and carried out after it; the printed report adds the five-year cycle's credits.
* Study hours (RULES §3): while the year runs, an official below the year's requirement is "short: N more needed
  this year" (a warning); once the year is over, "short of the year's hours by N" (high). The cycle's shortfall is
  shown only in the cycle's last year, when RULES judges it.
* A policy whose categories have no caps (baoji-2009) lists its category scores as figures instead of bars.
* The central-group session box (and the report's session table) appears only when the year's policy sets a number
  of sessions; what an attendance scores is asked of the policy (``attendance_points``).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cached_property, partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from credits.models import (
    AnnualScore,
    ExemptionReason,
    GroupStudySession,
    Kind,
    Status,
    VetoReason,
)
from credits.policies import FLAG_LABELS, category_label, kind_rule_text, policy_of_year
from credits.rules import Policy
from credits.rules.common import cycle_of
from credits.selectors.officials import similar_records
from credits.selectors.reports import (
    AFTER_TOTAL,
    BEFORE_TOTAL,
    CYCLE_FIGURES,
    figure_words,
    policy_figures,
    total_words,
)
from credits.selectors.units import (
    RISK_HIGH,
    RISK_SOME,
    OfficialStanding,
    StandingCounts,
    attendance_points,
    official_year_records,
    session_attendees,
    unit_official,
    unit_session,
    unit_session_count,
    unit_sessions,
    unit_standings,
    unit_year,
    unit_years,
)
from credits.services import (
    ATTENDING_STATUSES,
    create_record,
    delete_group_study_session,
    record_group_study_session,
    update_group_study_session,
)
from credits.standing import ScoreSnapshot
from credits.standing_words import cause_text
from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of
from portal.access import UnitAdminRequiredMixin
from portal.forms.common import add_service_errors
from portal.forms.unit import (
    DeclareForm,
    GroupStudySessionForm,
    YearForm,
    declarable_kinds,
    recent_officials,
)
from portal.templatetags.credits_tags import GRADE_LABELS, VETO_LABELS, points


class UnitPageMixin(UnitAdminRequiredMixin):
    """The unit, the year (``?year=``) and links that keep both (and ``?unit=`` for staff)."""

    tab = ""

    def dispatch(self, request, *args, **kwargs):
        self.today = timezone.localdate()
        if is_org_staff(request.user) and not request.GET.get("unit"):
            # The training section has no unit of its own: let them pick one rather than refuse.
            units = Unit.objects.order_by("code").only("code", "name")
            return render(request, "portal/unit/choose_unit.html", {"units": units, "next": request.path})
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def year_form(self) -> YearForm:
        """The year picker: only years with data for the unit, and this year (read once the unit is known)."""
        data = self.request.GET if "year" in self.request.GET else None
        return YearForm(data, years=unit_years(self.unit, this_year=self.today.year))

    @cached_property
    def year(self) -> int:
        return self.year_form.chosen_year()

    def carry(self, **params) -> str:
        """Query string of a link on these pages: the year, the unit for staff, and ``params``."""
        query = {"year": self.year}
        if scope_of(self.request.user).everything:
            query["unit"] = self.unit.code
        query.update(params)
        return urlencode(query)

    def unit_url(self, name: str, *args, **params) -> str:
        return f"{reverse(f'portal:{name}', args=args)}?{self.carry(**params)}"

    @cached_property
    def policy(self) -> Policy:
        """The policy of the year shown."""
        return policy_of_year(self.year)

    @cached_property
    def figures(self) -> tuple[str, ...]:
        """The figures the year's policy stores beside its categories (baoji-2009: carry and the cycle)."""
        return policy_figures(self.policy, self.year)

    def score_columns(self, *, cycle: bool = False) -> dict:
        """Headers of the score columns around the total: the policy's categories, then its figures (earned and
        carried in before the total, which is the effective credits when the policy carries; carried out and, with
        ``cycle``, the five-year cycle after it)."""
        return {
            "categories": [(spec.code, category_label(spec.code)) for spec in self.policy.categories],
            # Wide tables (a policy with carry figures) keep the category columns for the widest screens.
            "category_class": "d-none d-xxl-table-cell" if self.figures else "d-none d-lg-table-cell",
            "before_total": [figure_words()[key] for key in self.figures if key in BEFORE_TOTAL],
            "total_label": self.total_label,
            "after_total": [figure_words()[key] for key in self.figures if key in AFTER_TOTAL]
            + ([self.cycle_header()] if cycle and CYCLE_FIGURES in self.figures else []),
        }

    @property
    def total_label(self) -> str:
        """The total column's header: the effective credits when the policy carries credits over."""
        return total_words(self.figures)

    def cycle_header(self) -> str:
        first, last = cycle_of(self.year)
        return _("Five-year cycle %(first)s–%(last)s") % {"first": first, "last": last}

    def figure_cells(self, row: OfficialStanding, *, cycle: bool = False) -> dict:
        """A row's figure cells as text ("—" for none), matching ``score_columns``."""
        figures = row.figures
        values = figures._asdict() if figures is not None else {}

        def shown(value) -> str:
            return "—" if value is None else points(value)

        after = [shown(values.get(key)) for key in self.figures if key in AFTER_TOTAL]
        if cycle and CYCLE_FIGURES in self.figures:
            earned = shown(values.get("cycle_earned"))
            passed = values.get("cycle_passed")
            if passed is not None:
                met = _("met") if passed else _("not met")
                earned = f"{earned}（{met}）"
            after.append(earned)
        return {"before": [shown(values.get(key)) for key in self.figures if key in BEFORE_TOTAL], "after": after}

    def session_roles(self) -> dict[str, str]:
        """A speaker's and a listener's record in words, with what it scores under the year's policy."""
        points_of = attendance_points(self.policy, self.year)
        spoke, listened = points_of[Kind.CENTRAL_GROUP_SPEAKER], points_of[Kind.CENTRAL_GROUP_LISTENER]
        return {
            "speaker_role": _("Spoke (not counted this year)")
            if spoke is None
            else ngettext("Spoke (%(n)s point)", "Spoke (%(n)s points)", _plural(spoke)) % {"n": points(spoke)},
            "listener_role": _("Listened (not counted this year)")
            if listened is None
            else ngettext("Listened (%(n)s point)", "Listened (%(n)s points)", _plural(listened))
            % {"n": points(listened)},
        }

    def session_context(self, count: int) -> dict:
        """The unit's session count of the year against the number the year's policy requires (none: no box), for
        ``_sessions_box.html``."""
        required = self.policy.group_study_sessions_required
        return {
            "session_count": count,
            "sessions_short": max(0, required - count) if required else 0,
            "links": {"sessions": self.unit_url("unit-sessions"), "new_session": self.unit_url("unit-session-new")},
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        staff = scope_of(self.request.user).everything
        context.update(
            unit=self.unit,
            year=self.year,
            year_form=self.year_form,
            year_error=self.year_form.errors.get("year") if self.year_form.is_bound else None,
            staff_view=staff,
            tab=self.tab,
            tabs=[
                ("unit-officials", _("Officials"), self.unit_url("unit-officials")),
                ("unit-sessions", _("Central-group sessions"), self.unit_url("unit-sessions")),
                ("unit-declare", _("Declare for an official"), self.unit_url("unit-declare")),
                ("unit-report", _("Year report"), self.unit_url("unit-report")),
            ],
            sessions_required=self.policy.group_study_sessions_required,
            policy=self.policy,
            categories=[(spec.code, category_label(spec.code)) for spec in self.policy.categories],
            closed=self.year < self.today.year,
            **self.session_roles(),
            total_label=self.total_label,
            # Categories are drawn as bars against their caps; a policy without caps (baoji-2009) lists figures.
            category_bars=any(spec.cap is not None for spec in self.policy.categories),
        )
        return context


def _plural(value: Decimal) -> int:
    """The number ngettext chooses a form by: a fraction of a point reads as plural."""
    return int(value) if value == value.to_integral_value() else 2


def hours_words(row: OfficialStanding, *, closed: bool) -> list[tuple[str, str]]:
    """The study-hours marker in words (never colour alone): (text, level) with level high/some/ok/note. Short of
    the year's hours is "some" while the year runs and "high" once it is over; the cycle is judged in its last
    year only."""
    hours = row.hours
    if hours is None:
        return []
    if hours.required is None:
        return [(_("No hours requirement for this post level"), "note")]
    words = []
    if row.hours_short:
        values = {"hours": points(row.hours_missing)}
        if closed:
            words.append((_("Short of the year's study hours by %(hours)s") % values, "high"))
        else:
            words.append((_("Short of study hours: %(hours)s more needed this year") % values, "some"))
    else:
        words.append((_("Hours requirement met"), "ok"))
    if row.cycle_hours_short:
        words.append(
            (
                _("Short of the five-year study hours by %(hours)s")
                % {"hours": points(hours.cycle_required - hours.cycle_hours)},
                "high",
            )
        )
    return words


def hours_marks(row: OfficialStanding) -> list[tuple[str, str]]:
    """The study-hours marker of the printed report, short enough for a table cell: "short by 14", and for the
    cycle in its last year "five-year: short by 40"."""
    marks = []
    if row.hours_short:
        marks.append((_("short by %(hours)s") % {"hours": points(row.hours_missing)}, "high"))
    if row.cycle_hours_short:
        missing = row.hours.cycle_required - row.hours.cycle_hours
        marks.append((_("five-year: short by %(hours)s") % {"hours": points(missing)}, "high"))
    return marks


def risk_words(row: OfficialStanding) -> list[tuple[str, str]]:
    """What puts the official at risk, in words naming the exact cause (never colour alone): (text, level) with
    level high/some/note. The causes come from ``credits.standing`` (points or city lectures, had and needed)."""
    words = []
    s = row.standing
    if row.exempt:
        return words
    closed = s.elapsed >= 1
    for cause in s.causes:
        level = RISK_SOME if cause.behind_pace else (RISK_HIGH if closed else "note")
        words.append((cause_text(cause), level))
    if s.forecast_grade == s.failing_grade:
        recorded = [VETO_LABELS[v] for v in (row.score.vetoes if row.score else []) if v in VetoReason.values]
        if recorded:
            words.insert(0, (_("Vetoed: %(reasons)s") % {"reasons": "、".join(map(str, recorded))}, RISK_HIGH))
        else:
            words.insert(0, (_("Forecast to fail"), RISK_HIGH))
    return words


def score_cells(score: AnnualScore | None, policy: Policy) -> list[Decimal | None]:
    """The score's category results in the order of the year's policy's categories (None: no score yet)."""
    if score is None:
        return [None] * len(policy.categories)
    stored = score.categories or {}
    return [Decimal(stored[spec.code]["score"]) if spec.code in stored else None for spec in policy.categories]


def grade_text(score: AnnualScore | None) -> str:
    if score is None:
        return ""
    if score.exempt:
        reason = ExemptionReason(score.exempt_reason).label if score.exempt_reason in ExemptionReason.values else ""
        return _("Exempt (%(reason)s)") % {"reason": reason} if reason else _("Exempt")
    return str(GRADE_LABELS.get(score.grade, ""))


def _save_session(form, save: Callable[..., GroupStudySession]) -> GroupStudySession | None:
    """Enter or correct a session from the form through ``save`` (a session service); a refusal becomes the form's
    errors and gives None."""
    data = form.cleaned_data
    try:
        return save(
            occurred_on=data["occurred_on"],
            topic=data["topic"],
            speakers=list(data["speakers"]),
            listeners=list(data["listeners"]),
        )
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error) or _("You may not enter this session."))
    return None


class UnitOfficialsView(UnitPageMixin, TemplateView):
    """/unit/ — the unit's officials with live scores, forecast and risk, most at risk first."""

    template_name = "portal/unit/officials.html"
    tab = "unit-officials"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standings = unit_standings(self.unit, self.year, self.today)
        closed = context["closed"]
        rows = [
            {
                "r": row,
                "cells": score_cells(row.score, self.policy),
                **self.figure_cells(row),
                "grade": grade_text(row.score),
                "forecast": GRADE_LABELS.get(row.standing.forecast_grade, ""),
                "words": risk_words(row),
                "hours_words": hours_words(row, closed=closed),
                "url": self.unit_url("unit-official", row.official.staff_no),
            }
            for row in standings
        ]
        counts = StandingCounts.of(standings)
        context.update(
            rows=rows,
            counts=counts,
            high=counts.high,
            behind=counts.behind,
            any_stale=bool(counts.stale),
            columns=self.score_columns(),
            **self.session_context(unit_session_count(self.unit, self.year)),
        )
        return context


class SessionListView(UnitPageMixin, TemplateView):
    """/unit/sessions/ — the year's central-group sessions with attendee counts, against the number the year's
    policy requires (when it has a session rule)."""

    template_name = "portal/unit/sessions.html"
    tab = "unit-sessions"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = list(unit_sessions(self.unit, self.year))
        context.update(
            sessions=sessions,
            new_url=self.unit_url("unit-session-new"),
            carry=self.carry(),
            **self.session_context(len(sessions)),
        )
        return context


class SessionCreateView(UnitPageMixin, FormView):
    """/unit/sessions/new/ — one central-group session, entered once for all its attendees."""

    template_name = "portal/unit/session_form.html"
    form_class = GroupStudySessionForm
    tab = "unit-sessions"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["officials"] = recent_officials(Official.objects.filter(unit=self.unit))
        return kwargs

    def get_initial(self):
        return {"occurred_on": self.today}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["count_template"] = _("Chosen: {s} speakers, {l} listeners.")
        context["cancel_url"] = self.unit_url("unit-sessions")
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        session = _save_session(form, partial(record_group_study_session, by=self.request.user, unit=self.unit))
        if session is None:
            return self.form_invalid(form)
        attendees = len(data["speakers"]) + len(data["listeners"])
        if is_org_staff(self.request.user):
            text = _("Session “%(topic)s” entered: %(n)d attendance records, approved.")
        else:
            text = _(
                "Session “%(topic)s” entered: %(n)d attendance records, waiting for the training section's review."
            )
        messages.success(self.request, text % {"topic": session.topic, "n": attendees})
        self.year = session.occurred_on.year
        return HttpResponseRedirect(self.unit_url("unit-sessions"))


class SessionDetailView(UnitPageMixin, FormView):
    """/unit/sessions/<id>/ — one session: its attendees (speaker/listener, review status) and the form to correct
    it (date, topic, roles, a latecomer added, an attendee removed); deleting it is a separate confirmed POST."""

    template_name = "portal/unit/session_form.html"
    form_class = GroupStudySessionForm
    tab = "unit-sessions"

    def get_session(self):
        if not hasattr(self, "_session"):
            self._session = unit_session(self.unit, self.kwargs["pk"])
            if self._session is None:
                raise Http404(_("No such session in this unit."))
        return self._session

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["officials"] = recent_officials(Official.objects.filter(unit=self.unit))
        return kwargs

    def get_initial(self):
        session = self.get_session()
        attending = [r for r in session_attendees(session) if r.status in ATTENDING_STATUSES]
        return {
            "occurred_on": session.occurred_on.isoformat(),
            "topic": session.topic,
            "speakers": [r.official.staff_no for r in attending if r.kind == Kind.CENTRAL_GROUP_SPEAKER],
            "listeners": [r.official.staff_no for r in attending if r.kind == Kind.CENTRAL_GROUP_LISTENER],
        }

    def get_context_data(self, **kwargs):
        session = self.get_session()
        self.year = session.occurred_on.year
        context = super().get_context_data(**kwargs)
        attendees = session_attendees(session)
        context.update(
            session=session,
            attendees=attendees,
            approved=sum(r.status == Status.APPROVED for r in attendees),
            count_template=_("Chosen: {s} speakers, {l} listeners."),
            cancel_url=self.unit_url("unit-sessions"),
            delete_url=self.unit_url("unit-session-delete", session.pk),
            delete_confirm=_("Delete the session “%(topic)s” of %(date)s and its %(n)s attendance records?")
            % {"topic": session.topic, "date": session.occurred_on.isoformat(), "n": len(attendees)},
        )
        return context

    def form_valid(self, form):
        save = partial(update_group_study_session, by=self.request.user, session=self.get_session())
        session = _save_session(form, save)
        if session is None:
            return self.form_invalid(form)
        messages.success(self.request, _("Session “%(topic)s” corrected.") % {"topic": session.topic})
        self.year = session.occurred_on.year
        return HttpResponseRedirect(self.unit_url("unit-session", session.pk))


class SessionDeleteView(UnitPageMixin, TemplateView):
    """POST /unit/sessions/<id>/delete/ — delete a session entered by mistake with its records (confirmed first)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        session = unit_session(self.unit, kwargs["pk"])
        if session is None:
            raise Http404(_("No such session in this unit."))
        try:
            removed = delete_group_study_session(by=request.user, session=session)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
            return HttpResponseRedirect(self.unit_url("unit-session", session.pk))
        messages.success(
            request,
            _("Session “%(topic)s” of %(date)s deleted with its %(n)s attendance records.")
            % {"topic": session.topic, "date": session.occurred_on.isoformat(), "n": removed},
        )
        self.year = session.occurred_on.year
        return HttpResponseRedirect(self.unit_url("unit-sessions"))


class DeclareView(UnitPageMixin, FormView):
    """/unit/declare/ — declare off-job training, self-study or other group study for one of the unit's officials."""

    template_name = "portal/unit/declare.html"
    form_class = DeclareForm
    tab = "unit-declare"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["officials"] = recent_officials(Official.objects.filter(unit=self.unit))
        return kwargs

    def get_initial(self):
        return {"official": self.request.GET.get("official"), "occurred_on": self.today, "class_passed": True}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            rates=[
                f"{label}：{kind_rule_text(code, self.policy)}"
                for _category, kinds in declarable_kinds()
                for code, label in kinds
            ],
            session_url=self.unit_url("unit-session-new"),
            cancel_url=self.unit_url("unit-officials"),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        official = data["official"]
        similar = similar_records(official=official, kind=data["kind"], occurred_on=data["occurred_on"])
        if similar and not data.get("confirm_duplicate"):
            # A warning the administrator may confirm past with a tick, not a block; nothing is saved yet.
            return self.render_to_response(self.get_context_data(form=form, similar=similar, confirm_needed=True))
        try:
            record = create_record(
                by=self.request.user,
                official=official,
                kind=data["kind"],
                quantity=data["quantity"],
                occurred_on=data["occurred_on"],
                note=data["note"],
                class_passed=data["class_passed"],
                evidence=data["evidence"] or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not declare this record."))
            return self.form_invalid(form)
        values = {"kind": Kind(record.kind).label, "name": official.name}
        if record.status == Status.APPROVED:
            text = _("“%(kind)s” entered for %(name)s and approved.")
        else:
            text = _("“%(kind)s” declared for %(name)s; it waits for the training section's review.")
        messages.success(self.request, text % values)
        self.year = record.occurred_on.year
        return HttpResponseRedirect(self.unit_url("unit-official", official.staff_no))


REPORT_ROWS_PER_PAGE = 40  # the printed unit report: a summary page, then one A4 landscape page per 40 officials


class UnitReportView(UnitPageMixin, TemplateView):
    """/unit/report/ — the unit's year on one printable page: every official, grades, pass lines or carry figures,
    study hours, the unit's flags, sessions (when the year's policy has a session rule)."""

    template_name = "portal/unit/report.html"
    tab = "unit-report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = unit_year(self.request.user, unit=self.unit, year=self.year, on=self.today)
        summary = year.summary
        rows = [
            {
                "r": row,
                "cells": score_cells(row.score, self.policy),
                **self.figure_cells(row, cycle=True),
                "grade": grade_text(row.score),
                "vetoes": [VETO_LABELS.get(v, v) for v in (row.score.vetoes if row.score else [])],
                "hours_words": hours_marks(row),
            }
            for row in year.rows
        ]
        per_page = REPORT_ROWS_PER_PAGE
        flags = [FLAG_LABELS.get(flag, flag) for flag in summary.flags]
        context.update(
            rows=rows,
            row_pages=[(page, rows[n : n + per_page]) for page, n in enumerate(range(0, len(rows), per_page), start=1)],
            officials_count=len(rows),
            assessed_count=summary.assessed,
            exempt_count=summary.exempt,
            failed_count=summary.failed,
            unscored_count=year.unscored,
            counts=year.counts,
            grade_rows=[(GRADE_LABELS[g], n, _share(n, summary.assessed)) for g, n in year.grades],
            pass_rows=[(category_label(code), passed, line) for code, passed, line in year.pass_lines],
            unit_flags=flags,
            any_stale=bool(year.counts.stale),
            printed_on=self.today,
            columns=self.score_columns(cycle=True),
            hours_cycle=cycle_of(self.year),
            **self.session_context(summary.sessions),
        )
        return context


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


class UnitOfficialView(UnitPageMixin, TemplateView):
    """/unit/officials/<staff_no>/ — one official of the unit: standing, carry figures (when the year's policy
    carries), study hours and every record of the year."""

    template_name = "portal/unit/official.html"
    tab = "unit-officials"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only the unit's officials: anyone else is 404, whoever asks.
        found = unit_official(self.unit, self.kwargs["staff_no"], self.year, self.today)
        if found is None:
            raise Http404(_("No such official in this unit."))
        row, snapshot = found.row, found.snapshot
        official, score = row.official, row.score
        context.update(
            official=official,
            row=row,
            s=row.standing,
            snapshot=snapshot,
            assessed=found.assessed,
            grade=grade_text(score),
            forecast=GRADE_LABELS.get(row.standing.forecast_grade, ""),
            words=risk_words(row),
            hours=row.hours,
            hours_words=hours_words(row, closed=context["closed"]),
            cycle_header=self.cycle_header(),
            figures=row.figures,
            carries="carry_in" in self.figures,
            bars=_bars(snapshot),
            category_scores=[(category_label(code), score) for code, score, _met in _bars(snapshot)],
            closed=row.standing.elapsed >= 1,
            vetoes=[VETO_LABELS.get(v, v) for v in (score.vetoes if score else [])],
            flags=[FLAG_LABELS.get(f, f) for f in (score.flags if score else [])],
            records=official_year_records(official, self.year),
            declare_url=self.unit_url("unit-declare", official=official.staff_no),
            back_url=self.unit_url("unit-officials"),
            elapsed_percent=round(row.standing.elapsed * 100),
        )
        return context


def _bars(snapshot: ScoreSnapshot) -> list[tuple[str, Decimal, bool | None]]:
    """(category, score, line met) for the ``credit_bar`` tag; ``None`` where the category has no pass line. A line
    is met when every requirement of its category is (Kunshan menu: the points and the city lectures)."""
    bars = []
    for spec in snapshot.policy.categories:
        score = snapshot.categories.get(spec.code, Decimal(0))
        met = None
        if spec.pass_line is not None:
            met = all(req.have >= req.need for req in snapshot.requirements if req.category == spec.code)
        bars.append((spec.code, score, met))
    return bars
