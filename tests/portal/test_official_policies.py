"""The official's and the training section's pages under either credit policy, with study hours (RULES §2, §3).

A baoji-2009 year shows its three uncapped categories, earned + carried in = effective, what is carried over, the
grade, the five-year cycle against its line and the flags in words; records of kinds the year's policy does not count
are grouped apart. Every year and policy shows the study hours of the year and of the cycle against the rank's
requirement. The expected figures below are worked out by hand from RULES.md, not read from the code.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from credits import services
from credits.models import ActivityRecord, Status, YearPolicy
from credits.rules import get_policy
from credits.scoring import compute_scores, rank_year
from organisation.models import Official
from organisation.roles import OFFICIAL_GROUP
from portal.templatetags.credits_tags import credit_bar, meter
from tests import evidence_files
from tests.conftest import YEAR, make_user

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BAOJI = "baoji-2009"
PDF = evidence_files.pdf()


def add(by, official, kind, quantity, on: date, **extra) -> ActivityRecord:
    return services.create_record(by=by, official=official, kind=kind, quantity=quantity, occurred_on=on, **extra)


def score(*years: int) -> None:
    """Compute and rank the years in order (a Baoji year reads the one before it)."""
    for year in sorted(years):
        compute_scores(year=year)
        rank_year(year=year)


def baoji(*years: int) -> None:
    for year in years:
        YearPolicy.objects.update_or_create(year=year, defaults={"policy": BAOJI})


def text(html: str) -> str:
    """The page's words with the markup and runs of white space removed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


class _Finder(HTMLParser):
    """The text of the first element with ``data-testid=name``, its descendants included."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name, self.depth, self.parts, self.done = name, 0, [], False

    def handle_starttag(self, tag, attrs):
        if self.done or tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("data-testid") == self.name:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and not self.done and tag not in self.VOID:
            self.depth -= 1
            self.done = self.depth == 0

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)


def shown(html: str, name: str) -> str:
    """What the element with ``data-testid=name`` reads, white space folded."""
    finder = _Finder(name)
    finder.feed(html)
    assert finder.depth or finder.done, f"no data-testid={name}"
    return re.sub(r"\s+", " ", "".join(finder.parts)).strip()


@pytest.fixture
def zhang(officials):
    return officials["zhang"]  # section chief: 100 study hours a year, 500 over a cycle


@pytest.fixture
def zhang_client(client, zhang):
    client.force_login(zhang.user)
    return client


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def baoji_years(zhang, staff_user):
    """2024 and 2025 under baoji-2009 (YEAR is 2025; the cycle is 2023-2027, so 2025 is not its last year).

    2024: a 14-day class (14 x 5 = 70) -> effective 70, pass, 10 carried over; 112 study hours.
    2025: a 5-day class (25) + an online course worth 12 (6 hours entered) + a sole-author article (5) = 42 earned,
          + 10 carried in = 52 effective < 60 -> fail, nothing carried over; 10 online-academy hours (a Kunshan kind)
          are kept but not counted. Cycle so far: 70 + 42 = 112 of 300. Study hours: 40 + 6 + 10 = 56 of 100;
          the cycle 112 + 56 = 168 of 500.
    """
    baoji(YEAR - 1, YEAR)
    add(staff_user, zhang, "class_day", 14, date(YEAR - 1, 5, 20), note="党校春季主体班")
    add(staff_user, zhang, "class_day", 5, date(YEAR, 4, 10), note="专题研讨班")
    add(staff_user, zhang, "online_course", 1, date(YEAR, 6, 1), points=12, hours=6, note="网络课程")
    add(staff_user, zhang, "article_sole", 1, date(YEAR, 9, 1), note="学习体会文章")
    add(staff_user, zhang, "online_hour", 10, date(YEAR, 3, 1), note="网络学院")
    score(YEAR - 1, YEAR)
    return zhang


# ---------------------------------------------------------------------------------------------------
# 我的学分 in a Baoji year


def test_a_baoji_year_shows_earned_carry_effective_and_the_grade(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert shown(html, "earned") == "42"
    assert shown(html, "carry-in") == "10"
    assert shown(html, "effective") == "52 / 60"
    assert shown(html, "carry-out") == "0"
    assert f"Carried in from {YEAR - 1}" in html and f"Carried over to {YEAR + 1}" in html
    assert '<span class="display-6 fw-semibold" data-testid="total">52</span>' in html
    assert "effective credits · line 60" in text(html)
    assert "/ 100 pts" not in html  # no Kunshan total
    assert 'data-testid="grade">Fail</span>' in html
    # The three categories with their credits, no caps and no pass lines: 25 + 12 = 37 basic, 0 additional, 5 reward.
    bars = dict(re.findall(r'data-category="(\w+)">.*?<strong>([\d.]+)</strong>', html, re.S))
    assert bars == {"basic": "37", "additional": "0", "reward": "5"}
    assert 'data-label="' not in html  # no pass line on a category
    assert "each bar shows the category's credits against the year's line of 60" in html


def test_a_baoji_year_says_what_is_missing_and_the_flags_in_words(zhang_client, baoji_years):
    page = text(zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode())

    assert "The year's credits were 8 short of 60." in page  # a finished year: 52 of 60
    assert "Not eligible for “excellent” in this year's appraisal" in page
    assert "Not eligible for promotion: needs two assessed years in a row passed" in page
    assert "more points to Pass" not in page  # the pass band is the year's line: said once, not twice


def test_the_five_year_cycle_against_its_line_before_its_last_year(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    cycle = html[html.index('data-testid="cycle"') :]
    assert "Five-year cycle 2023–2027" in cycle
    assert shown(html, "cycle-earned") == "112"
    assert "/ 300 credits" in text(cycle)
    assert "188 more credits needed by the end of 2027." in text(cycle)
    assert "Cycle passed" not in cycle and "Cycle not passed" not in cycle  # judged in 2027 only


def test_records_of_kinds_the_year_does_not_count_are_grouped_apart(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    groups = re.findall(r'<details class="card mb-3 records-group[^"]*" id="records-([\w-]+)"', html)
    assert groups == ["basic", "reward", "not-counted"]  # the policy's order; the Kunshan kind last
    not_counted = html[html.index('id="records-not-counted"') :]
    assert "Not counted under this year&#x27;s policy" in not_counted
    assert "Online academy class hour" in not_counted and "网络学院" in not_counted
    assert "they score 0 this year" in not_counted
    assert "12 points set" in html and "6 study hours" in html  # the course's credits and entered hours


def test_the_study_hours_of_the_year_and_the_cycle(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert shown(html, "hours-year") == "56 / 100 hours"
    assert shown(html, "hours-year-status") == "Not met 44 hours short."  # a finished year
    assert shown(html, "hours-cycle") == "168 / 500 hours"
    assert shown(html, "hours-cycle-status") == "Judged at the end of 2027: 332 more hours needed."


def test_the_year_before_carries_over_and_passes(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/?year={YEAR - 1}", **EN).content.decode()

    assert shown(html, "earned") == "70"
    assert shown(html, "carry-in") == "0"
    assert shown(html, "effective") == "70 / 60"
    assert shown(html, "carry-out") == "10"
    assert 'data-testid="grade">Pass</span>' in html
    assert "The year&#x27;s line of 60 credits is met." in html
    assert shown(html, "hours-year") == "112 / 100 hours"
    assert shown(html, "hours-year-status") == "Met"


@pytest.fixture
def last_year_of_a_cycle(zhang, staff_user):
    """2021 and 2022 under baoji-2009; 2022 is the last year of the cycle 2018-2022 and 2020 was not Baoji, so the
    cycle's sum starts in 2021. 2021: 40 class days = 200 (140 carried over); 2022: 21 days = 105 + 140 = 245.
    Cycle: 200 + 105 = 305 >= 300, passed. Hours: 320 + 168 = 488 of 500 over the cycle, judged in 2022: not met."""
    baoji(2021, 2022)
    add(staff_user, zhang, "class_day", 40, date(2021, 10, 1))
    add(staff_user, zhang, "class_day", 21, date(2022, 10, 1))
    score(2021, 2022)
    return zhang


def test_the_cycle_is_judged_in_its_last_year(zhang_client, last_year_of_a_cycle):
    html = zhang_client.get("/me/?year=2022", **EN).content.decode()

    assert "Five-year cycle 2018–2022" in html
    assert shown(html, "cycle-earned") == "305"
    assert "Cycle passed" in shown(html, "cycle-status")
    assert shown(html, "carry-in") == "140" and shown(html, "effective") == "245 / 60"
    assert shown(html, "hours-cycle") == "488 / 500 hours"
    assert shown(html, "hours-cycle-status") == "Not met 12 hours short."


def test_a_cycle_short_of_its_line_in_its_last_year_is_not_passed(zhang_client, zhang, staff_user):
    baoji(2022)
    add(staff_user, zhang, "class_day", 20, date(2022, 10, 1))  # 100: pass, but only 100 of 300 for the cycle
    score(2022)

    html = zhang_client.get("/me/?year=2022", **EN).content.decode()

    assert "Cycle not passed" in html
    assert "200 credits short of the 300 needed." in text(html)


def test_an_official_without_an_hours_requirement(client, units, roles, staff_user):
    other = Official.objects.create(
        staff_no="F009", name="赵敏", unit=units["finance"], rank="other", user=make_user("zhao", OFFICIAL_GROUP)
    )
    add(staff_user, other, "class_day", 2, date(YEAR, 5, 1))
    score(YEAR)
    client.force_login(other.user)

    html = client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert shown(html, "hours-year") == "16 hours this year"
    assert "No study-hour requirement for this post level." in html
    assert "/ 100 hours" not in html


def test_hours_count_approved_records_only_whatever_the_policy(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 3, date(YEAR, 5, 1))  # 24 hours (Kunshan year)
    add(staff_user, zhang, "menu_city_lecture", 2, date(YEAR, 5, 2))  # 6 hours
    add(zhang.user, zhang, "study_paper", 1, date(YEAR, 5, 3), hours=4)  # waiting: not counted
    add(staff_user, zhang, "class_day", 2, date(YEAR - 1, 5, 1))  # 16 hours in 2024, same cycle
    score(YEAR - 1, YEAR)

    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert shown(html, "hours-year") == "30 / 100 hours"
    assert shown(html, "hours-cycle") == "46 / 500 hours"


def test_a_kunshan_year_is_unchanged(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 5, date(YEAR, 5, 1))
    add(staff_user, zhang, "menu_city_lecture", 4, date(YEAR, 5, 1))
    score(YEAR)

    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert '<span class="text-muted">/ 100 pts</span>' in html
    assert len(re.findall(r'class="credit-bar[ "]', html)) == 5
    assert 'data-label="24"' in html and 'data-label="25"' in html
    assert 'data-testid="year-figures"' not in html and 'data-testid="cycle"' not in html
    assert 'id="records-offjob"' in html and 'id="records-menu"' in html and "not-counted" not in html
    assert shown(html, "hours-year") == "52 / 100 hours"  # 5 x 8 + 4 x 3: hours are every policy's
    assert "guides at 60 (Pass), 75 (Good), 90 (Excellent)." in html


def test_the_baoji_page_reads_in_chinese(zhang_client, baoji_years):
    page = text(zhang_client.get(f"/me/?year={YEAR}").content.decode())

    for words in ("基本学分", "附加学分", "奖励学分", "本年度获得", "有效学分", "五年周期", "学时", "不能列为考察对象"):
        assert words in page, words
    assert "按本年度考核办法不计分" in page


# ---------------------------------------------------------------------------------------------------
# The training section's official page


def test_the_staff_page_shows_the_baoji_figures_and_the_hours(staff_client, baoji_years):
    html = staff_client.get(f"/staff/officials/F001/?year={YEAR}", **EN).content.decode()

    assert shown(html, "earned") == "42" and shown(html, "carry-in") == "10"
    assert shown(html, "effective") == "52 / 60" and shown(html, "carry-out") == "0"
    assert "/ 100 pts" not in html
    assert shown(html, "cycle-earned") == "112" and "/ 300 credits" in text(html)
    assert shown(html, "hours-year") == "56 / 100 hours"
    assert shown(html, "hours-cycle") == "168 / 500 hours"
    assert "Not eligible for promotion" in html
    # The online-academy hours file under no category of the year's policy.
    row = html[html.index("网络学院") - 900 : html.index("网络学院")]
    assert "Not counted under this year&#x27;s policy" in row


def test_the_staff_page_of_a_kunshan_year_is_unchanged(staff_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 5, date(YEAR, 5, 1))
    score(YEAR)

    html = staff_client.get(f"/staff/officials/F001/?year={YEAR}", **EN).content.decode()

    assert '<span class="text-muted">/ 100 pts</span>' in html
    assert 'data-testid="year-figures"' not in html and 'data-testid="cycle"' not in html
    assert shown(html, "hours-year") == "40 / 100 hours"


# ---------------------------------------------------------------------------------------------------
# Print pages


def test_the_registration_form_of_a_baoji_year(zhang_client, baoji_years):
    html = zhang_client.get(f"/me/registration-form/{YEAR}/", **EN).content.decode()

    assert "Baoji training credit scheme (2009)" in html
    assert [shown(html, name) for name in ("earned", "carry-in", "total", "carry-out")] == ["42", "10", "52", "0"]
    assert shown(html, "cycle-earned") == "112"
    assert "Judged at the end of 2027" in shown(html, "cycle-result")
    categories = text(html[html.index('data-testid="categories"') : html.index('data-testid="cycle"')])
    assert "Basic credits — — 37" in categories  # no cap, no pass line
    assert f"Earned this year — — 42 Carried in from {YEAR - 1} — — 10 Effective credits — 60 52 No" in categories
    assert f"Carried over to {YEAR + 1} — — 0" in categories
    assert "100" not in categories
    assert "Not counted under this year&#x27;s policy" in html  # the online-academy hours, summed by kind


def test_the_registration_form_of_a_kunshan_year_is_unchanged(zhang_client, zhang, staff_user):
    add(staff_user, zhang, "class_day", 5, date(YEAR, 5, 1))
    score(YEAR)

    html = zhang_client.get(f"/me/registration-form/{YEAR}/", **EN).content.decode()

    categories = text(html[html.index('data-testid="categories"') :])
    assert "Total 100 — 10" in categories
    assert 'data-testid="year-figures"' not in html and 'data-testid="cycle"' not in html


def test_the_archive_shows_each_baoji_years_figures(zhang_client, baoji_years):
    html = zhang_client.get("/me/archive/", **EN).content.decode()

    this = shown(html, f"year-figures-{YEAR}")
    assert f"Earned 42 + carried in 10 = effective 52; 0 carried over to {YEAR + 1}." in this
    assert "Cycle 2023–2027: 112 of 300 credits so far." in this
    assert re.search(r"2025-03-01</td><td[^>]*>Not counted under this year&#x27;s policy</td><td>Online academy", html)
    before = shown(html, f"year-figures-{YEAR - 1}")
    assert f"Earned 70 + carried in 0 = effective 70; 10 carried over to {YEAR}." in before


# ---------------------------------------------------------------------------------------------------
# 申报: study hours for every kind, the course's credits for a kind that needs them


def this_year() -> int:
    return timezone.localdate().year


def declaration(**changes) -> dict:
    data = {
        "kind": "online_course",
        "quantity": "1",
        "occurred_on": date(this_year(), 1, 2).isoformat(),
        "note": "网络课程：习近平新时代中国特色社会主义思想",
        "evidence": SimpleUploadedFile("合格证书.pdf", PDF, content_type="application/pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_form_of_a_baoji_year_offers_its_kinds_and_the_courses_credits(zhang_client):
    baoji(this_year())

    html = zhang_client.get("/me/declare/", **EN).content.decode()

    select = html[html.index('<select name="kind"') : html.index("</select>")]
    offered = set(re.findall(r'<option value="([a-z_]+)"', select))
    assert {"class_day", "online_course", "degree_master", "book_sole", "award_first"} <= offered
    assert "online_hour" not in offered and "study_paper" not in offered
    assert re.search(r'<option value="online_course"[^>]*data-points="required"', select)
    assert not re.search(r'<option value="class_day"[^>]*data-points', select)  # its points are the approver's
    assert 'name="points"' in html and 'id="points-row"' in html
    assert "Only for Online course passed by its exam: the credits it gives." in html
    assert 'name="hours"' in html
    assert "Leave blank to count the kind&#x27;s default hours" in html
    assert "Study hours: 8 per class day unless you enter them." in html
    assert "Study hours: enter them (left blank, the record counts 0 hours)." in html
    assert "Other kinds are entered by" not in html  # every Baoji category is self-declared


def test_the_form_of_a_kunshan_year_has_hours_but_no_points(zhang_client):
    html = zhang_client.get("/me/declare/", **EN).content.decode()

    assert 'name="hours"' in html
    assert 'name="points"' not in html and "points-row" not in html
    assert "Declare Off-job training or Self-study with its evidence." in html


def test_declaring_an_online_course_with_its_credits_and_hours_end_to_end(
    zhang_client, zhang, staff_user, client, media
):
    year = this_year()
    baoji(year)

    response = zhang_client.post("/me/declare/", declaration(points="12", hours="6"), **EN)

    assert response.status_code == 302
    record = ActivityRecord.objects.get(official=zhang, kind="online_course")
    assert (record.points, record.hours, record.status) == (Decimal("12.0"), Decimal("6.0"), Status.SUBMITTED)
    assert record.category == "basic"
    services.approve_record(by=staff_user, record=record)
    score(year)
    html = zhang_client.get(f"/me/?year={year}", **EN).content.decode()
    assert shown(html, "earned") == "12"
    assert shown(html, "hours-year") == "6 / 100 hours"


def test_a_class_day_declared_without_hours_counts_the_default(zhang_client, zhang, staff_user, media):
    year = this_year()
    data = declaration(kind="class_day", quantity="3", class_passed="on", note="培训班")

    assert zhang_client.post("/me/declare/", data, **EN).status_code == 302

    record = ActivityRecord.objects.get(official=zhang)
    assert record.hours is None and record.points is None
    services.approve_record(by=staff_user, record=record)
    score(year)
    assert shown(zhang_client.get(f"/me/?year={year}", **EN).content.decode(), "hours-year") == "24 / 100 hours"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"points": None}, "points", "An online course needs its credits, 5 to 20."),
        ({"points": "25"}, "points", "The course&#x27;s credits must be from 5 to 20."),
        ({"points": "12", "quantity": "2"}, "quantity", "One online course a record: the quantity must be 1."),
        ({"points": "12", "hours": "-1"}, "hours", "Ensure this value is greater than or equal to 0."),
        ({"points": "12", "hours": "1001"}, "hours", "Ensure this value is less than or equal to 1000."),
    ],
)
def test_problems_with_the_credits_or_hours_show_on_their_fields(zhang_client, media, changes, field, words):
    baoji(this_year())

    response = zhang_client.post("/me/declare/", declaration(**changes), **EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(rf'name="{field}"[^>]*class="form-control is-invalid"', html) or re.search(
        rf'class="form-control is-invalid"[^>]*name="{field}"', html
    ), field
    assert words in html
    assert not ActivityRecord.objects.exists()


def test_points_sent_for_a_kind_that_needs_none_are_dropped(zhang_client, zhang, media):
    baoji(this_year())
    data = declaration(kind="article_sole", points="9", hours="2")

    assert zhang_client.post("/me/declare/", data, **EN).status_code == 302

    record = ActivityRecord.objects.get(official=zhang)
    assert record.points is None and record.hours == Decimal("2.0")


def test_a_returned_record_is_declared_again_with_its_hours(zhang_client, zhang, staff_user, media):
    record = add(zhang.user, zhang, "class_day", 3, date(YEAR, 4, 10), hours=20,
                 evidence=SimpleUploadedFile("p.pdf", PDF))  # fmt: skip
    services.reject_record(by=staff_user, record=record, reason="学时有误")

    form = zhang_client.get(f"/me/records/{record.pk}/redeclare/", **EN).content.decode()
    assert re.search(r'name="hours"[^>]*value="20', form.replace("\n", " "))

    data = {"kind": "class_day", "quantity": "3", "occurred_on": f"{YEAR}-04-10", "class_passed": "on",
            "note": "", "hours": "24"}  # fmt: skip
    assert zhang_client.post(f"/me/records/{record.pk}/redeclare/", data, **EN).status_code == 302

    again = ActivityRecord.objects.exclude(pk=record.pk).get(official=zhang)
    assert (again.hours, again.status) == (Decimal("24.0"), Status.SUBMITTED)


def test_a_returned_online_course_is_declared_again_with_its_credits(zhang_client, zhang, staff_user, media):
    """A course whose credits were wrong comes back; the official corrects the credits and declares it again."""
    baoji(this_year())
    on = date(this_year(), 1, 2)
    record = add(
        zhang.user, zhang, "online_course", 1, on, points=15, hours=4, evidence=SimpleUploadedFile("p.pdf", PDF)
    )
    services.reject_record(by=staff_user, record=record, reason="该课程为 10 学分")

    assert "/redeclare/" in zhang_client.get("/me/", **EN).content.decode()
    data = {"kind": "online_course", "quantity": "1", "occurred_on": on.isoformat(), "note": "", "points": "10",
            "hours": "4"}  # fmt: skip
    assert zhang_client.post(f"/me/records/{record.pk}/redeclare/", data, **EN).status_code == 302

    again = ActivityRecord.objects.exclude(pk=record.pk).get(official=zhang)
    assert (again.points, again.hours, again.status) == (Decimal("10.0"), Decimal("4.0"), Status.SUBMITTED)


# ---------------------------------------------------------------------------------------------------
# Lines at their exact boundary, an exempt Baoji year, a Baoji year not scored yet


@pytest.mark.parametrize(("entered", "status"), [("4", "Met"), ("3.5", "Not met 0.5 hours short.")])
def test_the_years_hours_at_the_line(zhang_client, zhang, staff_user, entered, status):
    add(staff_user, zhang, "class_day", 12, date(YEAR, 5, 1))  # 96 hours by default
    add(staff_user, zhang, "study_paper", 1, date(YEAR, 5, 2), hours=entered)  # 100 or 99.5 in all

    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert shown(html, "hours-year-status") == status


@pytest.mark.parametrize(
    ("days_2022", "earned", "status"),
    [(30, "300", "Cycle passed"), (29, "295", "Cycle not passed 5 credits short of the 300 needed.")],
)
def test_the_cycle_at_its_line_in_its_last_year(zhang_client, zhang, staff_user, days_2022, earned, status):
    baoji(2021, 2022)
    add(staff_user, zhang, "class_day", 30, date(2021, 10, 1))  # 150
    add(staff_user, zhang, "class_day", days_2022, date(2022, 10, 1))  # 150 or 145
    score(2021, 2022)

    html = zhang_client.get("/me/?year=2022", **EN).content.decode()

    assert shown(html, "cycle-earned") == earned
    assert shown(html, "cycle-status") == status


def test_an_exempt_baoji_year_passes_its_carry_on(zhang_client, zhang, staff_user):
    baoji(YEAR - 1, YEAR)
    add(staff_user, zhang, "class_day", 14, date(YEAR - 1, 5, 1))  # 70: 10 carried over
    add(staff_user, zhang, "class_day", 5, date(YEAR, 5, 1))  # 25 earned in the exempt year
    services.record_exemption(by=staff_user, official=zhang, year=YEAR, reason="sick_leave")
    score(YEAR - 1, YEAR)

    html = zhang_client.get(f"/me/?year={YEAR}", **EN).content.decode()

    assert "Exempt from assessment" in html and 'data-testid="grade"' not in html
    assert [shown(html, n) for n in ("earned", "carry-in", "carry-out")] == ["25", "10", "10"]
    assert shown(html, "cycle-earned") == "95"  # its earned credits still count in the cycle: 70 + 25


def test_a_baoji_year_not_scored_yet_shows_its_line_and_no_figures(zhang_client):
    baoji(this_year())

    html = zhang_client.get("/me/", **EN).content.decode()

    assert "every category shows 0" in html
    assert "credits · line 60" in text(html)
    assert re.findall(r'data-category="(\w+)"', html) == ["basic", "additional", "reward"]
    assert 'data-testid="year-figures"' not in html and 'data-testid="cycle"' not in html
    assert "60 more credits to reach 60 this year (about 12 class day)." in text(html)  # 5 credits a day
    assert 'data-testid="hours"' in html


# ---------------------------------------------------------------------------------------------------
# The bars, whatever the figures


@settings(database=None, deadline=None)
@given(
    value=st.decimals(min_value=0, max_value=2000, places=1),
    need=st.decimals(min_value="0.1", max_value=2000, places=1),
    judged=st.booleans(),
)
def test_a_meter_stays_within_its_track_and_colours_by_the_line(value, need, judged):
    bar = meter(value, need, judged)

    width = Decimal(bar["width"].rstrip("%"))
    assert 0 <= width <= 100
    assert (bar["line_at"] is not None) == (value > need)  # the line shows inside the bar once passed
    assert bar["state"] == ("ok" if value >= need else "short" if judged else "")
    if value <= need:
        assert abs(width - value * 100 / need) <= Decimal("0.05")


@settings(database=None, deadline=None)
@given(score=st.decimals(min_value=0, max_value=500, places=1), code=st.sampled_from(["basic", "additional", "reward"]))
def test_an_uncapped_category_is_drawn_against_the_years_line(score, code):
    bar = credit_bar(code, score, None, BAOJI)
    line = next(r.need for r in get_policy(BAOJI).requirements({}) if r.category is None)

    assert bar["cap"] is None and bar["line"] is None and bar["state"] == ""
    expected = min(score, line) * 100 / line
    assert abs(Decimal(bar["width"].rstrip("%")) - expected) <= Decimal("0.05")
