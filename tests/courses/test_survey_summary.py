"""The half-year summary of a survey (RULES §5: 每半年汇总; courses.views.survey_reports): the printable page with a
chart and a table per question beside the previous half year, the free texts listed, the workbook; only the
training section; a question under 5 answers not shown; nobody who answered named anywhere."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from courses.models import Questionnaire, Survey
from courses.questionnaire_data import NEEDS, ensure_questionnaires
from courses.selectors.surveys import question_specs
from courses.services.surveys import answer_survey, create_survey
from organisation.models import Official
from organisation.roles import OFFICIAL_GROUP
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

H1, H2 = date(2026, 3, 10), date(2026, 9, 10)  # a day in each half year
PREVIOUS = date(2025, 10, 10)


def client_for(user) -> Client:
    client = Client()  # no Accept-Language: the portal's default, Chinese
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def needs_survey(staff_user, units):
    ensure_questionnaires()
    return create_survey(by=staff_user, code="2026-needs", title="2026年干部教育培训需求调查",
                         questionnaire=Questionnaire.objects.get(code=NEEDS), opens_on=date(2025, 7, 1),
                         closes_on=date(2026, 12, 31))  # fmt: skip


_people = iter(range(1, 10_000))


def respondents(n: int, units, roles) -> list[User]:
    users = []
    for _i in range(n):
        k = next(_people)
        user = make_user(f"resp{k}", OFFICIAL_GROUP)
        Official.objects.create(staff_no=f"R{k:04}", name=f"答卷人{k}", unit=units["finance"], rank="section_chief",
                                user=user)  # fmt: skip
        users.append(user)
    return users


def fill(survey: Survey, users: list[User], *, on: date, choice: int = 0, text: str | None = "多安排现场教学") -> None:
    """Each user answers: option ``choice`` of every choice question, 4 on every scale, ``text`` on free text."""
    for n, user in enumerate(users):
        answers: dict[str, object] = {}
        for spec in question_specs(survey=survey):
            key = f"q{spec.id}"
            if spec.kind == "single":
                answers[key] = choice % len(spec.choices)
            elif spec.kind == "multiple":
                answers[key] = [choice % len(spec.choices), (choice + 1) % len(spec.choices)]
            elif spec.kind == "scale":
                answers[key] = 4 if n % 2 else 5
            elif text is not None:
                answers[key] = f"{text}{n}"
        answer_survey(by=user, survey=survey, answers=answers, today=on)


def url(survey, period="2026H2", xlsx=False):
    return f"/training/surveys/{survey.code}/summary/{period}/" + ("xlsx/" if xlsx else "")


@pytest.fixture
def answered(needs_survey, units, roles):
    """6 answers in 2026H2 (option 1, texts), 5 in 2026H1 (option 0, no texts)."""
    now = respondents(6, units, roles)
    fill(needs_survey, now, on=H2, choice=1)
    fill(needs_survey, respondents(5, units, roles), on=H1, choice=0, text=None)
    return needs_survey, now


def test_the_summary_shows_each_question_as_a_chart_and_a_table_beside_the_previous_half_year(answered, staff_user):
    survey, _users = answered
    response = client_for(staff_user).get(url(survey))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年干部教育培训需求调查" in html and "2026年下半年" in html and "2026年上半年" in html
    sections = re.findall(r'<section class="question keep" data-testid="summary-question">(.*?)</section>', html, re.S)
    assert len(sections) == Survey.objects.get(pk=survey.pk).questionnaire.questions.count()
    first = sections[0]
    # A chart named in Chinese and described, and the table of the same figures: option 2 by all 6 now (+100 points),
    # option 1 by all 5 before.
    assert 'role="img"' in first and "<desc" in first and "您所在单位当前最需要加强的培训内容是" in first
    assert "100.0%" in first and "+100.0" in first and "-100.0" in first
    scale = next(s for s in sections if 'data-testid="mean"' in s)
    assert re.search(r'data-testid="mean">4\.50<', scale)  # three 4s and three 5s
    assert "多安排现场教学0" in html and "多安排现场教学5" in html  # the free texts of this half year, listed
    assert "下载汇总表" in html and url(survey, xlsx=True) in html


def test_a_question_with_fewer_than_5_answers_is_not_shown(needs_survey, units, roles, staff_user):
    fill(needs_survey, respondents(4, units, roles), on=H2)
    html = client_for(staff_user).get(url(needs_survey)).content.decode()
    assert html.count('data-testid="not-shown"') == needs_survey.questionnaire.questions.count()
    assert "<svg" not in html and "多安排现场教学" not in html
    assert "不足5份" in html


def test_nobody_who_answered_is_named_on_the_page_or_in_the_workbook(answered, staff_user):
    survey, users = answered
    html = client_for(staff_user).get(url(survey)).content.decode()
    book = b"".join(client_for(staff_user).get(url(survey, xlsx=True)).streaming_content)
    cells = " ".join(
        str(cell) for sheet in load_workbook(io.BytesIO(book)).worksheets for row in sheet.iter_rows(values_only=True)
        for cell in row if cell is not None
    )  # fmt: skip
    for official in Official.objects.filter(user__in=users):
        for trace in (official.staff_no, official.name, official.user.username):
            assert trace not in html and trace not in cells


def test_the_workbook_has_the_overview_the_options_against_the_previous_half_year_and_the_texts(answered, staff_user):
    survey, _users = answered
    response = client_for(staff_user).get(url(survey, xlsx=True))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "survey-2026-needs-2026H2.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    overview, results, texts = book.worksheets
    assert (overview.title, results.title, texts.title) == ("概况", "各题结果", "文字回答")
    values = dict(overview.iter_rows(min_row=2, values_only=True))
    assert values["作答份数"] == 6 and values["上一半年度作答份数（同一问卷各次调查）"] == 5
    rows = list(results.iter_rows(min_row=2, values_only=True))
    first = [r for r in rows if r[0] == 1]
    chosen = next(r for r in first if r[5] == 6)
    assert chosen[6] == 1.0 and chosen[7] == 0 and chosen[8] == 100  # share now 100%, before 0%, +100 points
    means = [r for r in rows if r[3] == "平均分（1–5）"]
    assert means and means[0][6] == 4.5 and means[0][7] == 4.6  # 4 and 5 alternating: 6 → 4.5, 5 → 4.6
    answers = [r[1] for r in texts.iter_rows(min_row=2, values_only=True)]
    assert sorted(answers) == answers and len(answers) == 6


def test_a_formula_in_a_free_text_stays_text_in_the_workbook(needs_survey, units, roles, staff_user):
    fill(needs_survey, respondents(5, units, roles), on=H2, text='=HYPERLINK("http://x")')
    response = client_for(staff_user).get(url(needs_survey, xlsx=True))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert all(str(r[1]).startswith("'=") for r in book.worksheets[2].iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("xlsx", [False, True])
def test_only_the_training_section_sees_a_summary(answered, unit_admin_user, officials, xlsx):
    survey, users = answered
    for user in (unit_admin_user, users[0], User.objects.get(username="zhang")):
        assert client_for(user).get(url(survey, xlsx=xlsx)).status_code == 403
    response = client_for(None).get(url(survey, xlsx=xlsx))
    assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize("period", ["2026H3", "2026-2", "H1", "2026h"])
def test_a_half_year_written_wrongly_is_a_400_in_plain_words(answered, staff_user, period):
    survey, _users = answered
    for xlsx in (False, True):
        response = client_for(staff_user).get(url(survey, period=period, xlsx=xlsx))
        assert response.status_code == 400
        assert "2026H1" in response.content.decode() and "半年" in response.content.decode()


def test_an_unknown_survey_is_a_404(staff_user, needs_survey):
    assert client_for(staff_user).get("/training/surveys/no-such/summary/2026H1/").status_code == 404
    assert client_for(staff_user).get("/training/surveys/no-such/summary/2026H1/xlsx/").status_code == 404


def test_a_half_year_without_answers_says_so(needs_survey, staff_user):
    response = client_for(staff_user).get(url(needs_survey, period="2024H1"))
    assert response.status_code == 200
    assert re.search(r'data-testid="summary-responses">0<', response.content.decode())


def test_the_page_reads_the_same_number_of_queries_whatever_the_answers(needs_survey, units, roles, staff_user):
    client = client_for(staff_user)
    fill(needs_survey, respondents(5, units, roles), on=H2)
    client.get(url(needs_survey))  # warm the session
    cache.clear()  # the summary itself, not the cached one
    with CaptureQueriesContext(connection) as few:
        assert client.get(url(needs_survey)).status_code == 200
    fill(needs_survey, respondents(12, units, roles), on=H2, choice=3)
    fill(needs_survey, respondents(7, units, roles), on=H1, choice=2)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(needs_survey)).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url(needs_survey)).status_code == 200
    assert len(cached) < len(many)  # kept under its counts: two counts instead of the GROUP BYs


def test_a_new_answer_shows_at_once_though_the_summary_is_kept(answered, units, roles, staff_user):
    survey, _users = answered
    client = client_for(staff_user)
    assert re.search(r'data-testid="summary-responses">6<', client.get(url(survey)).content.decode())
    fill(survey, respondents(1, units, roles), on=H2)
    assert re.search(r'data-testid="summary-responses">7<', client.get(url(survey)).content.decode())
    book = load_workbook(io.BytesIO(b"".join(client.get(url(survey, xlsx=True)).streaming_content)))
    assert dict(book.worksheets[0].iter_rows(min_row=2, values_only=True))["作答份数"] == 7
