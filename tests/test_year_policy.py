"""Choosing a year's credit policy (credits.year_policy): the switch and its what-if preview.

The switch: only the training section; bad input and a published year change nothing; the year's records of fixed
kinds move to the new policy's categories; the change is audited; the year and the chain after it are recomputed.
The preview: writes nothing, runs a fixed number of queries whatever the number of officials, and its numbers are
what the switch then stores.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from audit.models import ChangeLog
from credits import year_policy
from credits.models import ActivityRecord, AnnualScore, Exemption, PublishedYear, RecomputeJob, StaleScore, YearPolicy
from credits.policies import policy_code_of_year
from credits.rules import ALL_KINDS, POLICIES, get_policy
from credits.scoring import compute_scores, rank_year
from credits.services import YearLocked
from credits.year_policy import EXEMPT, preview_policy, set_year_policy
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

BEFORE = YEAR - 1  # 2024: the year switched in most tests; YEAR (2025) is the later year of the chain
BAOJI, KUNSHAN = "baoji-2009", "kunshan-2020"
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", re.IGNORECASE)


def approved(official, kind, quantity, year, *, month=6, **extra) -> ActivityRecord:
    """An approved record (unless ``status`` says otherwise), written directly: no refresh is scheduled, the tests
    compute the years themselves."""
    return ActivityRecord.objects.create(
        official=official,
        kind=kind,
        category=extra.pop("category", ALL_KINDS[kind].category or "offjob"),
        quantity=quantity,
        occurred_on=date(year, month, 1),
        status=extra.pop("status", "approved"),
        **extra,
    )


def compute(*years: int) -> None:
    for year in years:
        compute_scores(year=year)
        rank_year(year=year)


def score(official, year) -> AnnualScore:
    return AnnualScore.objects.get(official=official, year=year)


def figure(score: AnnualScore, name: str) -> Decimal:
    return Decimal(score.figures[name])


def stored_states(year: int) -> dict[str, str]:
    return {
        staff_no: EXEMPT if exempt else grade
        for staff_no, exempt, grade in AnnualScore.objects.filter(year=year).values_list(
            "official__staff_no", "exempt", "grade"
        )
    }


def everything() -> dict:
    """What a write could touch, in full: compared before and after a preview."""
    return {
        "scores": sorted(AnnualScore.objects.values_list("official_id", "year", "digest", "computed_at", "city_rank")),
        "records": sorted(ActivityRecord.objects.values_list("id", "category", "updated_at")),
        "policies": sorted(YearPolicy.objects.values_list("year", "policy")),
        "jobs": RecomputeJob.objects.count(),
        "log": ChangeLog.objects.count(),
        "stale": StaleScore.objects.count(),
    }


@pytest.fixture
def chain(officials):
    """2024 under kunshan-2020 (the default) and 2025 under baoji-2009, both computed.

    zhang: 16 class days in 2024 (kunshan: offjob capped at 15, fail; baoji: 80 credits, pass, 20 carried out) and
    12 class days in 2025 (baoji: 60, pass). li: an online course of 15 credits and classes of 2 and 3 days in 2024
    (baoji: 15 + 0 + 15 = 30, fail: a class under 3 days scores 0), nothing in 2025. wang: exempt in 2024 (sick
    leave), 12 class days in 2025.
    """
    zhang, li, wang = officials["zhang"], officials["li"], officials["wang"]
    approved(zhang, "class_day", 16, BEFORE)
    approved(zhang, "online_hour", 10, BEFORE)
    approved(li, "online_course", 1, BEFORE, points=15, category="basic")
    approved(li, "class_day", 2, BEFORE, month=3)
    approved(li, "class_day", 3, BEFORE, month=4)
    Exemption.objects.create(official=wang, year=BEFORE, reason="sick_leave")
    approved(zhang, "class_day", 12, YEAR)
    approved(wang, "class_day", 12, YEAR)
    YearPolicy.objects.create(year=YEAR, policy=BAOJI)
    compute(BEFORE, YEAR)
    return officials


# ---------------------------------------------------------------------------------------------------
# The switch


def test_switching_a_year_refiles_its_records_audits_and_recomputes_the_year_and_the_chain(
    chain, staff_user, django_capture_on_commit_callbacks
):
    zhang = chain["zhang"]
    assert score(zhang, BEFORE).policy == KUNSHAN and score(zhang, BEFORE).grade == "fail"
    assert figure(score(zhang, YEAR), "carry_in") == 0
    assert "promotion_ineligible" in score(zhang, YEAR).flags  # the year before failed

    with django_capture_on_commit_callbacks(execute=True):
        switch = set_year_policy(by=staff_user, year=BEFORE, policy=BAOJI)

    assert switch.changed and switch.previous == KUNSHAN and switch.policy == BAOJI
    assert policy_code_of_year(BEFORE) == BAOJI
    # The year under the new policy: 16 days x 5 = 80 credits, pass, 20 carried into 2025.
    before = score(zhang, BEFORE)
    assert (before.policy, before.grade, figure(before, "effective"), figure(before, "carry_out")) == (
        BAOJI, "pass", 80, 20,
    )  # fmt: skip
    # The later year followed by itself: carry-in, effective and the two-year flag.
    later = score(zhang, YEAR)
    assert figure(later, "carry_in") == 20 and figure(later, "effective") == 80
    assert "promotion_ineligible" not in later.flags
    job = RecomputeJob.objects.get(pk=switch.job.pk)
    assert job.state == "done" and job.year == BEFORE

    # Records of kinds baoji-2009 files elsewhere moved; kinds it does not know kept their category; 2025 untouched.
    categories = Counter(ActivityRecord.objects.filter(occurred_on__year=BEFORE).values_list("kind", "category"))
    assert categories == {("class_day", "basic"): 3, ("online_hour", "online"): 1, ("online_course", "basic"): 1}
    assert switch.records_recategorised == 3
    assert set(ActivityRecord.objects.filter(occurred_on__year=YEAR).values_list("category", flat=True)) == {"offjob"}

    entry = ChangeLog.objects.get(model="credits.yearpolicy")
    assert entry.actor == staff_user and entry.action == "update"
    assert entry.old["policy"] == KUNSHAN and entry.new["policy"] == BAOJI
    assert entry.new["records_recategorised"] == 3


def test_switching_back_restores_the_first_policys_results(chain, staff_user, django_capture_on_commit_callbacks):
    zhang = chain["zhang"]
    first = {(s.official_id, s.year): s.digest for s in AnnualScore.objects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        set_year_policy(by=staff_user, year=BEFORE, policy=BAOJI)
    assert score(zhang, BEFORE).policy == BAOJI
    with django_capture_on_commit_callbacks(execute=True):
        set_year_policy(by=staff_user, year=BEFORE, policy=KUNSHAN)

    assert {(s.official_id, s.year): s.digest for s in AnnualScore.objects.all()} == first
    assert set(ActivityRecord.objects.filter(kind="class_day", occurred_on__year=BEFORE).values_list(
        "category", flat=True)) == {"offjob"}  # fmt: skip
    assert [e.new["policy"] for e in ChangeLog.objects.filter(model="credits.yearpolicy").order_by("id")] == [
        BAOJI, KUNSHAN,
    ]  # fmt: skip


def test_the_same_policy_again_changes_nothing(chain, staff_user, django_capture_on_commit_callbacks):
    before = everything()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        switch = set_year_policy(by=staff_user, year=BEFORE, policy=KUNSHAN)  # the default, no row on record
        again = set_year_policy(by=staff_user, year=YEAR, policy=BAOJI)
    assert not switch.changed and switch.job is None and not again.changed and again.job is None
    assert not callbacks
    assert everything() == before


@pytest.mark.parametrize("who", ["official", "unit_admin", "anonymous"])
def test_only_the_training_section_switches(chain, who, unit_admin_user):
    from django.contrib.auth.models import AnonymousUser

    by = {"official": chain["zhang"].user, "unit_admin": unit_admin_user, "anonymous": AnonymousUser()}[who]
    before = everything()
    with pytest.raises(PermissionDenied):
        set_year_policy(by=by, year=BEFORE, policy=BAOJI)
    assert everything() == before


@pytest.mark.parametrize(
    ("year", "policy", "field"),
    [
        (BEFORE, "baoji-2010", "policy"),
        (BEFORE, "", "policy"),
        (BEFORE, None, "policy"),
        (1999, BAOJI, "year"),
        (timezone.localdate().year + 2, BAOJI, "year"),
    ],
)
def test_bad_input_is_refused_in_plain_words_and_changes_nothing(chain, staff_user, year, policy, field):
    before = everything()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        set_year_policy(by=staff_user, year=year, policy=policy)
    assert list(error.value.message_dict) == [field]
    message = error.value.message_dict[field][0]
    if policy == "baoji-2010":
        assert all(code in message for code in POLICIES)  # it names the policies to choose from
    elif not policy:
        assert message == "Choose a credit policy."
    assert everything() == before


def test_a_published_year_is_refused(chain, staff_user):
    PublishedYear.objects.create(year=BEFORE)
    before = everything()
    with pytest.raises(YearLocked) as error:
        set_year_policy(by=staff_user, year=BEFORE, policy=BAOJI)
    assert str(BEFORE) in error.value.messages[0]
    assert everything() == before


def test_a_year_not_begun_records_its_policy_without_computing_it(
    officials, staff_user, django_capture_on_commit_callbacks
):
    next_year = timezone.localdate().year + 1
    with django_capture_on_commit_callbacks(execute=True):
        switch = set_year_policy(by=staff_user, year=next_year, policy=BAOJI)
    assert switch.changed and switch.job is None
    assert policy_code_of_year(next_year) == BAOJI
    assert not AnnualScore.objects.filter(year=next_year).exists() and not RecomputeJob.objects.exists()
    assert ChangeLog.objects.filter(model="credits.yearpolicy").count() == 1


# ---------------------------------------------------------------------------------------------------
# The preview


def test_the_preview_writes_nothing(chain):
    before = everything()
    with CaptureQueriesContext(connection) as queries:
        preview = preview_policy(year=BEFORE, policy=BAOJI)
    assert preview.changed
    assert not [q["sql"] for q in queries.captured_queries if WRITES.match(q["sql"])]
    assert everything() == before


def test_the_previews_numbers_are_what_the_switch_then_stores(chain, staff_user, django_capture_on_commit_callbacks):
    zhang, li, wang = chain["zhang"], chain["li"], chain["wang"]
    now = stored_states(BEFORE)
    preview = preview_policy(year=BEFORE, policy=BAOJI)

    assert (preview.policy, preview.policy_now, preview.later_years, preview.published) == (
        BAOJI, KUNSHAN, [YEAR], False,
    )  # fmt: skip
    assert preview.grades_now == {**dict.fromkeys(get_policy(KUNSHAN).grades, 0), **Counter(now.values())}
    assert list(preview.grades_after) == [*get_policy(BAOJI).grades, EXEMPT]

    with django_capture_on_commit_callbacks(execute=True):
        set_year_policy(by=staff_user, year=BEFORE, policy=BAOJI)
    after = stored_states(BEFORE)

    assert preview.grades_after == {**dict.fromkeys(get_policy(BAOJI).grades, 0), **Counter(after.values())}
    changed = sorted(no for no in after if now.get(no) != after[no])
    assert preview.changed == len(changed)
    assert [o.staff_no for o in preview.officials] == changed  # F001 only: zhang fail -> pass; li fails both ways
    listed = preview.officials[0]
    stored = score(zhang, BEFORE)
    assert (listed.grade_now, listed.grade_after, listed.total_after) == ("fail", stored.grade, stored.total)
    assert (listed.name, listed.unit) == (zhang.name, zhang.unit.code)
    assert score(li, BEFORE).grade == "fail" and score(wang, BEFORE).exempt  # exempt stays exempt: no change
    finance = next(u for u in preview.units if u.code == zhang.unit.code)
    assert (finance.changed, finance.failed_now, finance.failed_after) == (1, 2, 1)
    assert (finance.flags_now, finance.flags_after) == ((), ("no_advanced_rating",))  # 1 of 2 failed: a third or more


def test_an_official_without_a_stored_score_is_a_change_from_nothing(chain):
    newcomer = Official.objects.create(staff_no="F009", name="赵新", unit=chain["zhang"].unit, rank="other")
    preview = preview_policy(year=BEFORE, policy=KUNSHAN)  # the same policy: only the newcomer changes
    assert preview.changed == 1 and preview.not_scored == 1
    (listed,) = preview.officials
    assert (listed.staff_no, listed.grade_now, listed.total_now) == (newcomer.staff_no, None, None)
    assert listed.grade_after == "fail"


def test_an_exempt_official_who_would_be_assessed_is_a_change(chain):
    wang = chain["wang"]
    Exemption.objects.filter(official=wang, year=BEFORE).delete()  # the stored score still says exempt
    preview = preview_policy(year=BEFORE, policy=KUNSHAN)
    assert [(o.staff_no, o.grade_now, o.grade_after) for o in preview.officials] == [(wang.staff_no, EXEMPT, "fail")]
    assert preview.grades_now[EXEMPT] == 1 and preview.grades_after[EXEMPT] == 0


def test_the_preview_lists_the_first_changes_by_unit_then_staff_number(units, roles, monkeypatch):
    monkeypatch.setattr(year_policy, "PREVIEW_OFFICIALS", 4)
    for n in (5, 3, 9, 1):
        Official.objects.create(staff_no=f"E{n:03}", name=f"教{n}", unit=units["education"])
        Official.objects.create(staff_no=f"F{n:03}", name=f"财{n}", unit=units["finance"])
    preview = preview_policy(year=BEFORE, policy=BAOJI)  # nothing stored: every official changes
    assert preview.changed == 8
    assert [o.staff_no for o in preview.officials] == ["F001", "F003", "F005", "F009"]  # B01 before B02
    assert [o.name for o in preview.officials] == ["财1", "财3", "财5", "财9"]


def test_the_preview_is_one_set_based_pass(chain, units):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            preview_policy(year=BEFORE, policy=BAOJI)
        return len(captured.captured_queries)

    few = queries()
    for n in range(40):
        official = Official.objects.create(staff_no=f"X{n:03}", name=f"某{n}", unit=units["education"])
        approved(official, "class_day", 3 + n % 20, BEFORE)
        approved(official, "online_hour", n, BEFORE)
    compute(BEFORE)
    assert queries() == few


def test_a_published_later_year_is_named(chain):
    PublishedYear.objects.create(year=YEAR)
    preview = preview_policy(year=BEFORE, policy=BAOJI)
    assert preview.later_years == [YEAR] and preview.later_published == [YEAR]


def test_the_preview_refuses_bad_input(chain):
    with pytest.raises(ValidationError) as error:
        preview_policy(year=BEFORE, policy="kunshan-2021")
    assert list(error.value.message_dict) == ["policy"]
    with pytest.raises(ValidationError) as error:
        preview_policy(year=1999, policy=BAOJI)
    assert list(error.value.message_dict) == ["year"]


# ---------------------------------------------------------------------------------------------------
# The years page (/staff/years/) and the preview page (/staff/years/{year}/policy/)


def page(user, language: str = "en"):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def year_card(html: str, year: int) -> str:
    start = html.index(f'data-year="{year}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_the_years_page_shows_each_years_policy_and_the_control_to_change_it(chain, staff_user):
    PublishedYear.objects.create(year=YEAR)
    html = page(staff_user).get("/staff/years/").content.decode()
    open_card, published_card = year_card(html, BEFORE), year_card(html, YEAR)
    assert "Kunshan annual training credit assessment (2020)" in open_card
    assert f'action="/staff/years/{BEFORE}/policy/"' in open_card
    assert f'name="policy" value="{BAOJI}" id="policy-{BEFORE}-policy_1" checked' in open_card  # the other one
    assert f'value="{KUNSHAN}" id="policy-{BEFORE}-policy_0">' in open_card
    assert "Baoji training credit scheme (2009)" in published_card
    assert f"/staff/years/{YEAR}/policy/" not in published_card
    assert "cannot be changed; reopen the year first" in published_card
    next_year = timezone.localdate().year + 1  # its policy can be chosen ahead; it cannot be published
    planned = year_card(html, next_year)
    assert f"/staff/years/{next_year}/policy/" in planned
    assert "/publish/" not in planned and "/recompute/" not in planned and "Not begun yet" in planned
    chinese = page(staff_user, "zh-hans").get("/staff/years/").content.decode()
    assert "宝鸡市干部教育培训学分制管理办法（2009）" in year_card(chinese, YEAR)


def test_the_preview_page_shows_what_would_change_and_writes_nothing(chain, staff_user):
    before = everything()
    response = page(staff_user).get(f"/staff/years/{BEFORE}/policy/?policy={BAOJI}")
    assert response.status_code == 200
    assert everything() == before
    html = response.content.decode()
    preview = response.context["preview"]
    assert f"{preview.changed} official's result would change." in html
    for state, now, after, _diff in preview.grade_rows:
        row = html[html.index(f'<tr data-grade="{state}">') :]
        row = row[: row.index("</tr>")]
        assert f'data-testid="now">{now}<' in row and f'data-testid="after">{after}<' in row
    assert 'data-staff-no="F001"' in html and 'data-unit="B01"' in html
    assert f"the later years ({YEAR}) are recomputed too" in html
    assert f'<form method="post" action="/staff/years/{BEFORE}/policy/"' in html
    assert f'name="policy" value="{BAOJI}"' in html


def test_confirming_switches_and_shows_the_recompute(chain, staff_user, django_capture_on_commit_callbacks):
    client = page(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/years/{BEFORE}/policy/", {"policy": BAOJI})
    job = RecomputeJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/years/?job={job.pk}"
    assert policy_code_of_year(BEFORE) == BAOJI and job.state == "done"
    html = client.get(response["Location"]).content.decode()
    assert f"{BEFORE} is now assessed under Baoji training credit scheme (2009)" in html
    assert f'id="job-{job.pk}"' in html and 'data-state="done"' in html


def test_a_published_year_cannot_be_switched_from_the_page(chain, staff_user):
    PublishedYear.objects.create(year=BEFORE)
    client = page(staff_user)
    preview = client.get(f"/staff/years/{BEFORE}/policy/?policy={BAOJI}").content.decode()
    assert "published and locked" in preview
    assert f'action="/staff/years/{BEFORE}/policy/"' not in preview  # no button that would only be refused
    before = everything()
    response = client.post(f"/staff/years/{BEFORE}/policy/", {"policy": BAOJI}, follow=True)
    assert "published and locked" in response.content.decode()
    assert everything() == before


@pytest.mark.parametrize("query", ["?policy=nope", "", "?policy="])
def test_a_bad_policy_on_the_page_is_a_message(chain, staff_user, query):
    response = page(staff_user).get(f"/staff/years/{BEFORE}/policy/{query}", follow=True)
    assert response.redirect_chain[-1][0] == "/staff/years/"
    assert [str(m) for m in response.context["messages"]]


def test_a_bad_year_on_the_page_is_a_message_and_changes_nothing(chain, staff_user):
    client = page(staff_user)
    before = everything()
    response = client.post("/staff/years/1999/policy/", {"policy": BAOJI}, follow=True)
    assert "between 2000 and" in response.content.decode()
    assert client.get(f"/staff/years/1999/policy/?policy={BAOJI}").status_code == 302
    assert client.get(f"/staff/years/20x5/policy/?policy={BAOJI}").status_code == 404
    assert everything() == before


@pytest.mark.parametrize("who", ["official", "unit_admin"])
def test_the_policy_pages_are_the_training_sections(chain, unit_admin_user, who):
    user = chain["zhang"].user if who == "official" else unit_admin_user
    before = everything()
    assert page(user).get(f"/staff/years/{BEFORE}/policy/?policy={BAOJI}").status_code == 403
    assert page(user).post(f"/staff/years/{BEFORE}/policy/", {"policy": BAOJI}).status_code == 403
    anonymous = page(None).post(f"/staff/years/{BEFORE}/policy/", {"policy": BAOJI})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert everything() == before
