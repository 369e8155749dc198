"""The unit study administrator's pages (/unit/): officials at risk, central-group sessions, declarations, report.

Org-dept staff open them for any unit with ``?unit=CODE``; every link and redirect carries it along.
Reads come from ``credits.selectors.units``; writes go through ``credits.services``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import cached_property, partial
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from credits.models import (
    AnnualScore,
    ExemptionReason,
    GroupStudySession,
    Kind,
    StaleScore,
    Status,
    VetoReason,
)
from credits.policies import category_label, kind_rule_text, policy_of_year
from credits.rules import Policy
from credits.selectors.officials import similar_records
from credits.selectors.units import (
    RISK_HIGH,
    RISK_SOME,
    OfficialStanding,
    official_year_records,
    session_attendees,
    unit_officials,
    unit_session,
    unit_session_count,
    unit_sessions,
    unit_standings,
    unit_years,
)
from credits.services import (
    ATTENDING_STATUSES,
    create_record,
    delete_group_study_session,
    record_group_study_session,
    update_group_study_session,
)
from credits.standing import ScoreSnapshot, standing
from credits.standing_words import cause_text
from organisation.models import Official, Unit
from organisation.roles import is_org_staff, scope_of
from portal.access import UnitAdminRequiredMixin
from portal.forms.unit import (
    DeclareForm,
    GroupStudySessionForm,
    YearForm,
    add_service_errors,
    declarable_kinds,
    recent_officials,
)
from portal.templatetags.credits_tags import GRADE_LABELS, VETO_LABELS


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
        )
        return context


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
        rows = [
            {
                "r": row,
                "cells": score_cells(row.score, self.policy),
                "grade": grade_text(row.score),
                "forecast": GRADE_LABELS.get(row.standing.forecast_grade, ""),
                "words": risk_words(row),
                "url": self.unit_url("unit-official", row.official.staff_no),
            }
            for row in standings
        ]
        per_page = REPORT_ROWS_PER_PAGE
        context.update(
            rows=rows,
            row_pages=[(page, rows[n : n + per_page]) for page, n in enumerate(range(0, len(rows), per_page), start=1)],
            high=sum(row.risk_level == RISK_HIGH for row in standings),
            behind=sum(bool(row.standing.behind_pace) for row in standings),
            any_stale=any(row.stale for row in standings),
            **self.session_context(unit_session_count(self.unit, self.year)),
        )
        return context


class SessionListView(UnitPageMixin, TemplateView):
    """/unit/sessions/ — the year's central-group sessions with attendee counts, against the 12 required."""

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
    """/unit/report/ — the unit's year on one printable page: every official, grades, pass counts, sessions."""

    template_name = "portal/unit/report.html"
    tab = "unit-report"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        standings = unit_standings(self.unit, self.year, self.today)
        # Ranked officials first (by unit rank), then exempt ones and those without a score yet.
        standings.sort(key=_report_order)
        scores = [row.score for row in standings if row.score is not None]
        assessed = [s for s in scores if not s.exempt]
        grades = Counter(s.grade for s in assessed)
        rows = [
            {
                "r": row,
                "cells": score_cells(row.score, self.policy),
                "grade": grade_text(row.score),
                "vetoes": [VETO_LABELS.get(v, v) for v in (row.score.vetoes if row.score else [])],
            }
            for row in standings
        ]
        per_page = REPORT_ROWS_PER_PAGE
        context.update(
            rows=rows,
            row_pages=[(page, rows[n : n + per_page]) for page, n in enumerate(range(0, len(rows), per_page), start=1)],
            officials_count=len(standings),
            assessed_count=len(assessed),
            exempt_count=sum(s.exempt for s in scores),
            unscored_count=len(standings) - len(scores),
            grade_rows=[(GRADE_LABELS[g], grades[g], _share(grades[g], len(assessed))) for g in self.policy.grades],
            pass_rows=[
                (
                    category_label(spec.code),
                    sum(bool((s.categories.get(spec.code) or {}).get("passed")) for s in assessed),
                    spec.pass_line,
                )
                for spec in self.policy.categories
                if spec.pass_line is not None
            ],
            any_stale=any(row.stale for row in standings),
            printed_on=self.today,
            **self.session_context(unit_session_count(self.unit, self.year)),
        )
        return context


def _report_order(row: OfficialStanding) -> tuple:
    rank = row.score.unit_rank if row.score else None
    return (rank is None, rank or 0, row.official.staff_no)


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


class UnitOfficialView(UnitPageMixin, TemplateView):
    """/unit/officials/<staff_no>/ — one official of the unit: standing and every record of the year."""

    template_name = "portal/unit/official.html"
    tab = "unit-officials"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Only the unit's officials: anyone else is 404, whoever asks.
        official = get_object_or_404(Official.objects.filter(unit=self.unit), staff_no=self.kwargs["staff_no"])
        score = AnnualScore.objects.filter(official=official, year=self.year).first()
        stale = StaleScore.objects.filter(official=official, year=self.year).exists()
        snapshot = ScoreSnapshot.from_score(score) if score else ScoreSnapshot.empty(self.year, self.policy)
        row = OfficialStanding(official, score, stale, standing(snapshot, on=self.today))
        assessed = unit_officials(self.unit, self.year).filter(pk=official.pk).exists()
        context.update(
            official=official,
            row=row,
            s=row.standing,
            snapshot=snapshot,
            assessed=assessed,
            grade=grade_text(score),
            forecast=GRADE_LABELS.get(row.standing.forecast_grade, ""),
            words=risk_words(row),
            bars=_bars(snapshot),
            closed=row.standing.elapsed >= 1,
            vetoes=[VETO_LABELS.get(v, v) for v in (score.vetoes if score else [])],
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
