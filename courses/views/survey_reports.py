"""A survey's half-yearly summary (RULES §5: 需求调查每半年汇总) for the training section: the printable page
(/training/surveys/<code>/summary/<period>/: per question a chart and the table of the same figures beside the
previous half year's, the free-text answers listed) and its workbook (…/xlsx/). Figures from
``courses.selectors.surveys.half_year_summary`` (groups under 5 answers are never shown); drawing and layout in
``courses.survey_reports``. Nothing here reads or shows who answered.
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from kunshan_training.downloads import download_response
from kunshan_training.half_years import HalfYear
from portal.access import OrgStaffRequiredMixin

from ..models import Survey
from ..selectors.surveys import cached_half_year_summary, survey_periods
from ..survey_reports import question_chart_svg, summary_workbook
from ..survey_rules import MIN_GROUP_SIZE

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _survey(code: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("questionnaire"), code=code)


def _bad_period(request, message: str):
    """A half year written wrongly: a 400 page that says how to write it."""
    survey_url = reverse("courses:survey", args=[request.resolver_match.kwargs["code"]])
    context = {"detail": message, "survey_url": survey_url}
    return render(request, "courses/surveys/summary_bad_period.html", context, status=400)


class SurveySummaryView(OrgStaffRequiredMixin, TemplateView):
    """The printable half-year summary of one survey."""

    template_name = "courses/surveys/summary.html"

    def get(self, request, *args, **kwargs):
        try:
            self.period = HalfYear.parse(kwargs["period"])
        except ValidationError as error:
            return _bad_period(request, " ".join(error.messages))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        survey = _survey(kwargs["code"])
        summary = cached_half_year_summary(survey=survey, period=self.period)
        questions = []
        for number, item in enumerate(summary.questions, start=1):
            title = f"{number}. {item.question.text}"
            rows = []
            for index, tally in enumerate(item.now.choices if item.now.shown else []):
                before = item.before.choices[index] if item.before and index < len(item.before.choices) else None
                change = item.share_changes[index] if index < len(item.share_changes) else None
                rows.append({"label": tally.label, "count": tally.count, "share": tally.share,
                             "before": before.share if before else None, "change": change})  # fmt: skip
            questions.append({
                "number": number, "item": item, "title": title, "rows": rows,
                "chart": question_chart_svg(item.now, title=title, previous=item.before),
            })  # fmt: skip
        periods = survey_periods(survey=survey)
        return super().get_context_data(
            survey=survey,
            summary=summary,
            period=self.period,
            questions=questions,
            periods=[(p, reverse("courses:survey-summary", args=[survey.code, str(p)])) for p in periods],
            xlsx_url=reverse("courses:survey-summary-xlsx", args=[survey.code, str(self.period)]),
            back_url=reverse("courses:survey", args=[survey.code]),
            min_group=MIN_GROUP_SIZE,
        )


class SurveySummaryXlsxView(OrgStaffRequiredMixin, View):
    """The half-year summary as a workbook (an attachment)."""

    def get(self, request, code: str, period: str):
        try:
            half = HalfYear.parse(period)
        except ValidationError as error:
            return _bad_period(request, " ".join(error.messages))
        survey = _survey(code)
        content = summary_workbook(cached_half_year_summary(survey=survey, period=half))
        name = _("%(title)s %(period)s summary") % {"title": survey.title, "period": half.label()}
        return download_response(
            io.BytesIO(content), name=f"{name}.xlsx", ascii_name=f"survey-{survey.code}-{half}.xlsx",
            content_type=XLSX_CONTENT_TYPE,
        )  # fmt: skip
