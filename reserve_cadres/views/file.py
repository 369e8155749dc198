"""A reserve's file (/reserves/<id>/): the timeline of the decision, training, exams, defenses, practice, talks,
reflections, assessments and leaving (``selectors.reserves.reserve_file``), the flags judged on ``?on=``, and the
forms each role may use — the training section everything, the unit's study administrator talks, reflections and
the yearly assessment. The defense entry page (one page during the session, the result shown at once after saving),
and the file as xlsx and PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from kunshan_training.downloads import download_response
from portal.access import StaffOrUnitAdminRequiredMixin
from portal.forms.common import run_service

from .. import exports
from ..forms import (
    VOTE_FIELDS,
    AppointForm,
    AssessmentForm,
    DefenseForm,
    DisqualifyForm,
    ExamForm,
    PracticeForm,
    ReflectionForm,
    TalkForm,
    TrainingForm,
    date_from,
)
from ..models import Defense, ReserveStatus
from ..rules import shown
from ..selectors.reserves import flags_of, reserve_file
from ..services import reserves as services
from ..tables import STATUS_BADGES, flag_words, timeline
from .common import day_of, visible_reserve


@dataclass(frozen=True)
class Entry:
    """A form of the file: who may use it and the service it calls with the form's cleaned data."""

    form: type
    service: str
    staff_only: bool
    title: object  # lazy text
    done: object


ENTRIES: dict[str, Entry] = {
    "exam": Entry(
        ExamForm, "record_exam", True, gettext_lazy("Written exam"), gettext_lazy("The exam score is saved.")
    ),
    "training": Entry(
        TrainingForm,
        "link_training",
        True,
        gettext_lazy("Yearly training"),
        gettext_lazy("The training is on the file."),
    ),
    "practice": Entry(
        PracticeForm,
        "add_practice",
        True,
        gettext_lazy("Rotation or secondment"),
        gettext_lazy("The practice is on the file."),
    ),
    "talk": Entry(
        TalkForm,
        "add_talk",
        False,
        gettext_lazy("Talk with the contact leader"),
        gettext_lazy("The talk is on the file."),
    ),
    "reflection": Entry(
        ReflectionForm,
        "add_reflection",
        False,
        gettext_lazy("Reflection article"),
        gettext_lazy("The article is on the file."),
    ),
    "assessment": Entry(
        AssessmentForm,
        "record_assessment",
        False,
        gettext_lazy("Yearly assessment"),
        gettext_lazy("The assessment is saved."),
    ),
    "disqualify": Entry(
        DisqualifyForm, "disqualify", True, gettext_lazy("Disqualify"), gettext_lazy("The reserve is disqualified.")
    ),
    "appoint": Entry(
        AppointForm, "appoint", True, gettext_lazy("Appoint"), gettext_lazy("The reserve is recorded as appointed.")
    ),
}


def file_context(request, reserve, *, is_staff: bool, bound: dict | None = None) -> dict:
    """The file page's context: the timeline, the flags on the day asked, the forms the user may use."""
    day = day_of(request)
    entries = timeline(reserve_file(reserve))
    forms = {}  # several on one page: each form's ids start with its name ("talk-year"), so none repeats
    if reserve.status == ReserveStatus.ACTIVE:
        for name, entry in ENTRIES.items():
            if entry.staff_only and not is_staff:
                continue
            forms[name] = {"form": entry.form(auto_id=f"{name}-%s"), "title": entry.title, "action": name}
    for name, form in (bound or {}).items():
        forms[name] = {**forms.get(name, {"title": ENTRIES[name].title, "action": name}), "form": form}
    return {
        "reserve": reserve,
        "official": reserve.official,
        "day": day,
        "flags": flag_words(flags_of(reserve, day=day)),
        "entries": entries,
        "forms": forms,
        "is_staff": is_staff,
        "status_badge": STATUS_BADGES.get(reserve.status, ""),
    }


class ReserveFileView(StaffOrUnitAdminRequiredMixin, View):
    def get(self, request, pk: int):
        reserve = visible_reserve(request, pk)
        return render(request, "reserve_cadres/file.html", file_context(request, reserve, is_staff=self.is_staff))


class EntryView(StaffOrUnitAdminRequiredMixin, View):
    """A POST of one of the file's forms: the role is checked first (403), then the reserve's scope (404)."""

    http_method_names = ["post"]

    def post(self, request, pk: int, entry: str):
        spec = ENTRIES.get(entry)
        if spec is None:
            raise Http404
        if spec.staff_only and not self.is_staff:
            raise PermissionDenied
        reserve = visible_reserve(request, pk)
        form = spec.form(request.POST, request.FILES, auto_id=f"{entry}-%s")
        service = getattr(services, spec.service)
        if form.is_valid():
            data = form.cleaned_data
            ok, _saved = run_service(request, lambda: service(by=request.user, reserve=reserve, **data), form=form)
            if ok:
                messages.success(request, spec.done)
                return HttpResponseRedirect(reverse("reserve_cadres:file", args=[reserve.pk]) + "#timeline")
        reserve.refresh_from_db()
        context = file_context(request, reserve, is_staff=self.is_staff, bound={entry: form})
        context["open_form"] = entry
        return render(request, "reserve_cadres/file.html", context)


def defense_result(defense: Defense | None) -> dict | None:
    """The saved defense as the page shows it: each score with two decimals, rounded half up (``rules.shown``)."""
    if defense is None:
        return None
    return {
        "defense": defense,
        "panel_score": shown(defense.panel_score),
        "vote_score": shown(defense.vote_score),
        "score": shown(defense.score),
        "passed": defense.passed,
        "examiners": [shown(s.score) for s in defense.examiner_scores.all()],
        "voters": defense.excellent + defense.competent + defense.basically_competent + defense.incompetent,
    }


class DefenseView(StaffOrUnitAdminRequiredMixin, View):
    """The defense entry page of a year (the training section): the examiners' scores and the vote counts; after
    saving, the page shows the panel score, vote score and defense score at once, and whether it passed."""

    def _year(self, request) -> int:
        value = request.POST.get("year") or request.GET.get("year") or ""
        return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else day_of(request).year

    def _page(self, request, reserve, form, year: int, status: int = 200):
        defense = reserve.defenses.filter(year=year).prefetch_related("examiner_scores").first()
        exam = reserve.exams.filter(year=year).first()
        context = {
            "reserve": reserve,
            "official": reserve.official,
            "form": form,
            "year": year,
            "result": defense_result(defense),
            "exam": exam,
            "exam_score": shown(exam.score) if exam else None,
        }
        return render(request, "reserve_cadres/defense.html", context, status=status)

    def get(self, request, pk: int):
        if not self.is_staff:
            raise PermissionDenied
        reserve = visible_reserve(request, pk)
        year = self._year(request)
        defense = reserve.defenses.filter(year=year).prefetch_related("examiner_scores").first()
        initial = {"year": year}
        if defense is not None:
            initial.update({name: getattr(defense, name) for name in ("held_on", *VOTE_FIELDS)})
            initial.update({f"examiner_{s.position}": s.score for s in defense.examiner_scores.all()})
        return self._page(request, reserve, DefenseForm(initial=initial), year)

    def post(self, request, pk: int):
        if not self.is_staff:
            raise PermissionDenied
        reserve = visible_reserve(request, pk)
        form = DefenseForm(request.POST)
        year = self._year(request)
        if form.is_valid():
            data = form.cleaned_data
            ok, _defense = run_service(
                request,
                lambda: services.record_defense(
                    by=request.user, reserve=reserve, year=data["year"], panel=form.panel(), votes=form.votes(),
                    held_on=data.get("held_on"),
                ),
                form=form,
            )  # fmt: skip
            if ok:
                messages.success(request, _("The defense is saved."))
                url = reverse("reserve_cadres:defense", args=[reserve.pk])
                return HttpResponseRedirect(f"{url}?year={data['year']}#result")
        return self._page(request, reserve, form, year)


class FileExportView(StaffOrUnitAdminRequiredMixin, View):
    """The reserve's file as xlsx or PDF (an attachment with a safe name)."""

    def get(self, request, pk: int, fmt: str):
        reserve = visible_reserve(request, pk)
        day = date_from(request.GET.get("on"), day_of(request))
        entries = timeline(reserve_file(reserve))
        flags = flag_words(flags_of(reserve, day=day))
        official = reserve.official
        name = _("Reserve cadre file %(name)s %(staff_no)s") % {"name": official.name, "staff_no": official.staff_no}
        ascii_name = f"reserve-file-{official.staff_no}"
        if fmt == "pdf":
            content = exports.file_pdf(reserve, entries, flags=flags, day=day)
            return download_response(
                exports.as_file(content), name=f"{name}.pdf", ascii_name=f"{ascii_name}.pdf",
                content_type=exports.PDF_CONTENT_TYPE,
            )  # fmt: skip
        return download_response(
            exports.file_xlsx(reserve, entries, flags=flags, day=day), name=f"{name}.xlsx",
            ascii_name=f"{ascii_name}.xlsx", content_type=exports.XLSX_CONTENT_TYPE,
        )  # fmt: skip
