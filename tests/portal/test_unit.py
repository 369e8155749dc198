"""The unit study administrator's pages (/unit/): what an administrator, the training section and others see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credits.models import ActivityRecord, AnnualScore, GroupStudySession, StaleScore, Veto
from credits.rules import get_policy
from credits.services import publish_year
from organisation.models import Official, Unit
from tests.conftest import YEAR

GROUP_STUDY_SESSIONS_REQUIRED = get_policy("kunshan-2020").group_study_sessions_required
pytestmark = pytest.mark.django_db

MID_YEAR = date(YEAR, 6, 30)  # "today" in these tests: half of the year has passed


@pytest.fixture(autouse=True)
def mid_year(monkeypatch):
    """Pin today to the middle of the test year, so pace and forecast are those of a running year."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: MID_YEAR)


def score(official, *, menu=0, online=0, lectures=0, offjob=0, group_study=0, self_study=0, **fields):
    """A stored score as the worker would write it (only what the pages read)."""
    values = {"offjob": offjob, "menu": menu, "online": online, "group_study": group_study, "self_study": self_study}
    passed = {"menu": menu >= 24, "online": online >= 25}
    categories = {code: {"score": str(Decimal(v)), "passed": passed.get(code)} for code, v in values.items()}
    explanation = {"c": {code: {"s": str(Decimal(v))} for code, v in values.items()}}
    explanation["c"]["menu"].update(cl=lectures, clr=4)
    fields = {
        "unit": official.unit, "policy": "kunshan-2020", "computed_at": timezone.now(),
        "total": sum(Decimal(v) for v in values.values()), "legacy_explanation": explanation, "categories": categories,
        **fields,
    }  # fmt: skip
    return AnnualScore.objects.create(official=official, year=YEAR, **fields)


def get(client, user, url, language="zh-hans"):
    client.force_login(user)
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def staff_nos_in_order(response) -> list[str]:
    html = response.content.decode()
    return [part.split('"', 1)[0] for part in html.split('data-staff-no="')[1:]]


# --- /unit/: standings, most at risk first ----------------------------------------------------------------------


@pytest.fixture
def crafted(units, officials, unit_admin_user):
    """Finance with officials at every level of risk on 30 June."""
    finance = units["finance"]

    def official(staff_no, name):
        return Official.objects.create(staff_no=staff_no, name=name, unit=finance, rank="section_chief")

    # zhang (F001): far behind on both lines; li (F002): no score row yet (nothing approved).
    score(officials["zhang"], menu=0, online=0)
    behind_on_menu = official("F003", "赵敏")
    score(behind_on_menu, menu=8, lectures=1, online=20, offjob=8, group_study=6, self_study=4)
    on_track = official("F004", "钱进")
    score(on_track, menu=20, lectures=3, online=20, offjob=10, group_study=10, self_study=5, grade="pass")
    exempt = official("F005", "孙立")
    score(exempt, exempt=True, exempt_reason="sick_leave")
    return {"behind_on_menu": behind_on_menu, "on_track": on_track, "exempt": exempt}


def test_officials_are_sorted_most_at_risk_first(client, crafted, unit_admin_user):
    response = get(client, unit_admin_user, "/unit/")
    assert response.status_code == 200
    # Nothing yet (F001 with a zero score, F002 without a row) first, then behind on one line, on track, exempt.
    assert staff_nos_in_order(response) == ["F001", "F002", "F003", "F004", "F005"]


def test_forecast_and_risk_are_shown_in_words(client, crafted, unit_admin_user):
    html = get(client, unit_admin_user, "/unit/").content.decode()
    row = html.split('data-staff-no="F003"')[1].split("</tr>")[0]
    assert "“菜单式”选学 8 分，还需 16 分（落后进度）" in row and "预计不合格" in row
    assert "市干教办“菜单式”讲座 1 次，还需 3 次（落后进度）" in row
    assert "risk-high" in row  # the marker, besides the words
    assert "网络学习 20 分，还需 5 分" in row and "网络学习 20 分，还需 5 分（" not in row  # online is on pace
    on_track = html.split('data-staff-no="F004"')[1].split("</tr>")[0]
    assert "合格" in on_track and "优秀" in on_track  # grade now, forecast
    assert "risk-high" not in on_track and "risk-some" not in on_track and "进度" not in on_track
    exempt = html.split('data-staff-no="F005"')[1].split("</tr>")[0]
    assert "免于考核" in exempt and "不参加考核" in exempt


def test_the_year_end_names_the_missed_lines(client, crafted, unit_admin_user, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(YEAR + 1, 1, 15))
    html = get(client, unit_admin_user, f"/unit/?year={YEAR}").content.decode()
    row = html.split('data-staff-no="F003"')[1].split("</tr>")[0]
    assert "“菜单式”选学 8 分，还需 16 分" in row and "网络学习 20 分，还需 5 分" in row
    assert "市干教办“菜单式”讲座 1 次，还需 3 次" in row
    assert "落后进度" not in row  # no pace once the year is over


def test_full_menu_points_short_of_city_lectures_names_the_lectures_not_the_menu(client, units, unit_admin_user):
    """Regression (issue 9): 30 of 30 menu points with 3 of 4 city lectures read "菜单式选学落后进度"."""
    official = Official.objects.create(staff_no="F009", name="周全", unit=units["finance"], rank="section_chief")
    score(official, menu=30, lectures=3, online=30, offjob=10, group_study=10, self_study=5)
    html = get(client, unit_admin_user, "/unit/").content.decode()
    row = html.split('data-staff-no="F009"')[1].split("</tr>")[0]
    assert "市干教办“菜单式”讲座 3 次，还需 1 次" in row
    assert "“菜单式”选学落后进度" not in row and "分，还需" not in row


def test_stale_scores_show_updating(client, crafted, unit_admin_user):
    StaleScore.objects.create(official=crafted["on_track"], year=YEAR)
    html = get(client, unit_admin_user, "/unit/", language="en").content.decode()
    row = html.split('data-staff-no="F004"')[1].split("</tr>")[0]
    assert "updating" in row
    assert "updating" not in html.split('data-staff-no="F003"')[1].split("</tr>")[0]
    assert 'hx-trigger="every 10s"' in html  # the page refreshes itself until the worker is done


def test_a_bad_year_is_explained_and_the_current_year_shown(client, crafted, unit_admin_user):
    response = get(client, unit_admin_user, "/unit/?year=abc", language="en")
    assert response.status_code == 200
    assert "There is no year “abc” to show" in response.content.decode()
    assert staff_nos_in_order(response)[0] == "F001"


def test_the_page_runs_a_fixed_number_of_queries(client, units, unit_admin_user, django_assert_max_num_queries):
    finance = units["finance"]

    def fill(count: int, start: int) -> None:
        officials = Official.objects.bulk_create(
            [Official(staff_no=f"Q{start + i:04d}", name=f"干部{i}", unit=finance) for i in range(count)]
        )
        for i, official in enumerate(officials):
            score(official, menu=i % 30, online=(7 * i) % 30, lectures=i % 5)
            if i % 3 == 0:
                StaleScore.objects.create(official=official, year=YEAR)

    client.force_login(unit_admin_user)
    fill(3, 0)
    with CaptureQueriesContext(connection) as small:
        assert client.get("/unit/").status_code == 200
    fill(27, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/unit/")
    assert len(staff_nos_in_order(response)) == 30


# --- the unit's central-group sessions -----------------------------------------------------------------------


def test_a_session_is_entered_once_for_all_attendees(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    response = client.post(
        "/unit/sessions/new/",
        {"occurred_on": "2025-05-20", "topic": "学习贯彻全会精神", "speakers": ["F001"], "listeners": ["F002"]},
    )
    assert response.status_code == 302 and response["Location"].startswith("/unit/sessions/?year=2025")
    session = GroupStudySession.objects.get()
    assert session.unit == officials["zhang"].unit and session.created_by == unit_admin_user
    records = {r.official.staff_no: r for r in ActivityRecord.objects.select_related("official")}
    assert records["F001"].kind == "central_group_speaker" and records["F002"].kind == "central_group_listener"
    assert {r.status for r in records.values()} == {"submitted"}  # a unit administrator's entries wait for review
    assert {r.session_id for r in records.values()} == {session.pk}
    # It counts toward the unit's twelve at once (a session counts once entered).
    html = client.get("/unit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"2025年度已开展中心组学习 1 次 / 应开展 {GROUP_STUDY_SESSIONS_REQUIRED} 次" in html
    listing = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "学习贯彻全会精神" in listing and "1 waiting for review" not in listing and "2 waiting for review" in listing


def test_the_session_form_lists_the_units_officials_only(client, officials, unit_admin_user):
    html = get(client, unit_admin_user, "/unit/sessions/new/").content.decode()
    assert 'value="F001"' in html and 'value="F002"' in html and 'value="E001"' not in html
    assert "张伟 发言" in html and "李娜 不发言" in html  # every checkbox has a label for screen readers


def test_an_attendee_from_another_unit_is_refused_and_nothing_written(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    response = client.post(
        "/unit/sessions/new/",
        {"occurred_on": "2025-05-20", "topic": "学习", "speakers": ["F001"], "listeners": ["E001"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html and "“E001” is not an official of this unit" in html
    assert 'value="F001" data-role="speaker" checked' in html  # the choices are kept
    assert not GroupStudySession.objects.exists() and not ActivityRecord.objects.exists()


def test_the_services_refusals_show_on_the_form(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    response = client.post(
        "/unit/sessions/new/",
        {"occurred_on": "2025-05-20", "topic": "学习", "speakers": ["F001"], "listeners": ["F001"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "cannot be both speaker and listener" in response.content.decode()
    response = client.post("/unit/sessions/new/", {"occurred_on": "2025-05-20", "topic": "学习"},
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "Choose at least one attendee." in response.content.decode()
    response = client.post("/unit/sessions/new/", {"occurred_on": "2025-07-20", "topic": "学习",
                                                   "listeners": ["F001"]}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert "The date is in the future." in response.content.decode()
    assert not GroupStudySession.objects.exists() and not ActivityRecord.objects.exists()


def test_sessions_list_counts_against_twelve(client, officials, unit_admin_user, units):
    for month in range(1, 6):
        GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR, month, 3), topic=f"第{month}次")
    GroupStudySession.objects.create(unit=units["education"], occurred_on=date(YEAR, 1, 3), topic="教育局的")
    GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR - 1, 12, 3), topic="去年的")
    html = get(client, unit_admin_user, "/unit/sessions/").content.decode()
    assert "2025年度已开展中心组学习 5 次 / 应开展 12 次" in html and "还需开展 7 次" in html
    assert "第5次" in html and "教育局的" not in html and "去年的" not in html


# --- declaring for an official -------------------------------------------------------------------------------


def test_declaring_for_an_official_of_the_unit(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    response = client.post(
        "/unit/declare/",
        {"official": "F002", "kind": "study_paper", "quantity": "1", "occurred_on": "2025-04-02", "note": "心得"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/unit/officials/F002/?year=2025")
    record = ActivityRecord.objects.get()
    assert (record.official, record.kind, record.status, record.created_by) == (
        officials["li"],
        "study_paper",
        "submitted",
        unit_admin_user,
    )
    page = client.get(response["Location"]).content.decode()
    assert "自学论文或摘抄笔记" in page and "待审核" in page


def test_declare_offers_only_what_a_unit_administrator_may_enter(client, officials, unit_admin_user):
    html = get(client, unit_admin_user, "/unit/declare/").content.decode()
    assert 'value="class_day"' in html and 'value="book_reflection"' in html
    assert 'value="menu_city_lecture"' not in html and 'value="discretionary"' not in html
    assert 'value="central_group_listener"' not in html  # entered as a session, so the unit's count stays right
    client.force_login(unit_admin_user)
    response = client.post("/unit/declare/", {"official": "F001", "kind": "online_hour", "quantity": "3",
                                              "occurred_on": "2025-04-02"})  # fmt: skip
    assert response.status_code == 200 and not ActivityRecord.objects.exists()


def test_a_declaration_with_a_program_as_evidence_is_refused(client, officials, unit_admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(unit_admin_user)
    upload = SimpleUploadedFile("证书.pdf", b"MZ\x90\0program")
    response = client.post("/unit/declare/", {"official": "F001", "kind": "class_day", "quantity": "2",
                                              "occurred_on": "2025-04-02", "evidence": upload})  # fmt: skip
    assert response.status_code == 200 and "佐证材料必须是 PDF、JPEG 或 PNG 文件" in response.content.decode()
    assert not ActivityRecord.objects.exists()


def test_a_published_year_is_locked_for_sessions_and_declarations(client, officials, unit_admin_user, staff_user):
    publish_year(by=staff_user, year=YEAR)
    client.force_login(unit_admin_user)
    response = client.post("/unit/sessions/new/", {"occurred_on": "2025-05-20", "topic": "学习",
                                                   "listeners": ["F001"]})  # fmt: skip
    assert response.status_code == 200 and "2025 年度结果已发布并锁定" in response.content.decode()
    response = client.post("/unit/declare/", {"official": "F001", "kind": "class_day", "quantity": "2",
                                              "occurred_on": "2025-04-02"})  # fmt: skip
    assert response.status_code == 200 and "2025 年度结果已发布并锁定" in response.content.decode()
    assert not GroupStudySession.objects.exists() and not ActivityRecord.objects.exists()


def test_bad_declarations_change_nothing(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    base = {"official": "F001", "kind": "class_day", "quantity": "2", "occurred_on": "2025-04-02"}
    for bad, message in [
        ({"quantity": "0"}, "The quantity must be more than 0"),
        ({"quantity": "abc"}, "Enter a number."),
        ({"occurred_on": "2025-08-01"}, "The date is in the future."),
        ({"occurred_on": "yesterday"}, "Enter a valid date."),
    ]:
        response = client.post("/unit/declare/", {**base, **bad}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200 and message in response.content.decode(), bad
    assert not ActivityRecord.objects.exists()


# --- role crossings ---------------------------------------------------------------------------------------------


def test_a_unit_administrator_never_sees_another_units_officials(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    assert client.get("/unit/officials/E001/").status_code == 404
    assert client.get("/unit/officials/NOPE/").status_code == 404
    assert client.get("/unit/officials/F001/").status_code == 200
    html = client.get("/unit/").content.decode()
    assert "张伟" in html and "王芳" not in html
    assert "王芳" not in client.get("/unit/report/").content.decode()
    # ?unit= is for the training section only: an administrator stays in their own unit.
    html = client.get("/unit/?unit=B02").content.decode()
    assert "市财政局" in html and "王芳" not in html


def test_a_unit_administrator_cannot_declare_for_another_unit(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    response = client.post("/unit/declare/", {"official": "E001", "kind": "study_paper", "quantity": "1",
                                              "occurred_on": "2025-04-02"}, HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 200 and "Choose an official of this unit" in response.content.decode()
    assert not ActivityRecord.objects.exists()


@pytest.mark.parametrize(
    "url", ["/unit/", "/unit/sessions/", "/unit/sessions/new/", "/unit/declare/", "/unit/report/",
            "/unit/officials/F001/"],
)  # fmt: skip
def test_an_official_without_the_administrator_role_is_refused(client, officials, url):
    client.force_login(officials["zhang"].user)
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, officials):
    response = client.get("/unit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_open_any_unit_with_its_code(client, officials, staff_user):
    client.force_login(staff_user)
    html = client.get("/unit/?unit=B02").content.decode()
    assert "市教育局" in html and "王芳" in html and "张伟" not in html
    assert "/unit/officials/E001/?year=2025&amp;unit=B02" in html  # links carry the unit along
    assert "/unit/sessions/?year=2025&amp;unit=B02" in html
    assert client.get("/unit/officials/E001/?unit=B02").status_code == 200
    assert client.get("/unit/officials/F001/?unit=B02").status_code == 404
    assert client.get("/unit/?unit=NOPE").status_code == 404


def test_staff_without_a_unit_choose_one(client, officials, staff_user):
    client.force_login(staff_user)
    response = client.get("/unit/report/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and "Choose a unit" in html
    assert 'action="/unit/report/"' in html and 'value="B02"' in html


def test_staff_entries_for_a_unit_are_approved_at_once(client, officials, staff_user):
    client.force_login(staff_user)
    response = client.post("/unit/sessions/new/?unit=B02", {"occurred_on": "2025-05-20", "topic": "专题学习",
                                                            "listeners": ["E001"]})  # fmt: skip
    assert response.status_code == 302 and "unit=B02" in response["Location"]
    record = ActivityRecord.objects.get()
    assert record.status == "approved" and record.official == officials["wang"]
    assert GroupStudySession.objects.get().unit == Unit.objects.get(code="B02")


# --- one official and the report ---------------------------------------------------------------------------------


def test_one_officials_standing_and_records(client, crafted, unit_admin_user, officials):
    ActivityRecord.objects.create(official=crafted["behind_on_menu"], kind="menu_city_lecture", category="menu",
                                  quantity=1, occurred_on=date(YEAR, 3, 5), status="approved")  # fmt: skip
    ActivityRecord.objects.create(official=officials["wang"], kind="study_paper", category="self_study",
                                  quantity=1, occurred_on=date(YEAR, 3, 5), note="王芳的论文")  # fmt: skip
    html = get(client, unit_admin_user, "/unit/officials/F003/", language="en").content.decode()
    assert "赵敏" in html and "City training office menu lecture" in html and "王芳的论文" not in html
    assert "Attend 3 more: City training office menu lecture." in html
    assert "City training office menu lecture: 1, 3 more needed (behind pace)" in html and "Forecast to fail" in html
    assert 'class="credit-bar mt-3"' in html and "pass line 24" in html
    assert "/unit/declare/?year=2025&amp;official=F003" in html


def test_the_report_lists_every_official_with_grade_rank_and_vetoes(client, crafted, unit_admin_user, units):
    AnnualScore.objects.filter(official__staff_no="F004").update(unit_rank=1, grade="pass")
    AnnualScore.objects.filter(official__staff_no="F003").update(
        unit_rank=2, grade="fail", vetoes=["menu_not_passed", "online_not_passed", "discipline"]
    )
    Veto.objects.create(official=crafted["behind_on_menu"], year=YEAR, reason="discipline")
    GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR, 2, 3), topic="一")
    html = get(client, unit_admin_user, "/unit/report/").content.decode()
    assert "市财政局" in html and "d-print-none" in html and "@page" in html
    order = [html.index(name) for name in ("钱进", "赵敏", "张伟")]
    assert order == sorted(order)  # by unit rank, unranked last
    assert "“菜单式”选学未达合格线；网络学习未达合格线；严重违反培训纪律造成恶劣影响" in html
    assert "免于考核" in html
    assert ">1</td>" in html  # one session held


# --- one session's page: attendees, correct, add a latecomer, delete (issue 9) --------------------------------------


@pytest.fixture
def entered(officials, units, unit_admin_user):
    """A session the unit administrator entered: zhang spoke, li listened (both waiting for review)."""
    return services_module().record_group_study_session(
        by=unit_admin_user, unit=units["finance"], occurred_on=date(YEAR, 5, 20), topic="学习贯彻全会精神",
        speakers=[officials["zhang"]], listeners=[officials["li"]],
    )  # fmt: skip


def services_module():
    from credits import services

    return services


def post_session(client, session, **changes):
    data = {"occurred_on": f"{YEAR}-05-20", "topic": "学习贯彻全会精神", "speakers": ["F001"], "listeners": ["F002"]}
    data.update(changes)
    return client.post(f"/unit/sessions/{session.pk}/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_session_opens_with_its_attendees_roles_and_statuses(client, entered, unit_admin_user):
    listing = get(client, unit_admin_user, f"/unit/sessions/?year={YEAR}").content.decode()
    assert f'href="/unit/sessions/{entered.pk}/?year={YEAR}"' in listing  # the topic links to the page
    html = get(client, unit_admin_user, f"/unit/sessions/{entered.pk}/", language="en").content.decode()
    table = html.split('data-testid="attendees"')[1].split("</table>")[0]
    assert "张伟" in table and "Spoke (2 points)" in table and "李娜" in table and "Listened (1 point)" in table
    assert table.count(">Submitted</span>") == 2
    assert 'value="F001" data-role="speaker" checked' in html and 'value="F002" data-role="listener" checked' in html
    assert 'data-testid="delete-session"' in html and "data-confirm=" in html


def test_another_units_session_is_not_found(client, entered, officials, units, staff_user, roles):
    from tests.conftest import make_user

    other_admin = make_user("edu_admin", "unit_admins")
    from organisation.models import StudyAdministrator

    StudyAdministrator.objects.create(user=other_admin, unit=units["education"])
    assert get(client, other_admin, f"/unit/sessions/{entered.pk}/").status_code == 404
    assert client.post(f"/unit/sessions/{entered.pk}/delete/").status_code == 404
    assert GroupStudySession.objects.filter(pk=entered.pk).exists()


def test_a_latecomer_is_added_and_a_role_switched(client, entered, officials, units, unit_admin_user):
    late = Official.objects.create(staff_no="F010", name="吴迟", unit=units["finance"], rank="section_chief")
    client.force_login(unit_admin_user)
    response = post_session(client, entered, speakers=["F002"], listeners=["F001", "F010"])
    assert response.status_code == 302 and response["Location"] == f"/unit/sessions/{entered.pk}/?year={YEAR}"
    records = {r.official.staff_no: r for r in entered.records.select_related("official")}
    assert records["F010"].kind == "central_group_listener" and records["F010"].status == "submitted"
    assert records["F001"].kind == "central_group_listener" and records["F002"].kind == "central_group_speaker"
    assert late.records.get().session_id == entered.pk
    from audit.models import ChangeLog

    assert ChangeLog.objects.filter(object_id=str(records["F010"].pk), model="credits.activityrecord").exists()


def test_an_approved_attendance_is_the_training_sections_to_change_and_scores_follow(
    client, entered, officials, unit_admin_user, staff_user, django_capture_on_commit_callbacks
):
    services = services_module()
    services.approve_records(by=staff_user, record_ids=entered.records.values_list("pk", flat=True))
    client.force_login(unit_admin_user)
    response = post_session(client, entered, speakers=[], listeners=["F002"])  # zhang removed
    assert response.status_code == 200 and "only the training section can change or remove it: 张伟" in (
        response.content.decode())  # fmt: skip
    assert entered.records.count() == 2
    refused = client.post(f"/unit/sessions/{entered.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 302 and GroupStudySession.objects.filter(pk=entered.pk).exists()
    from credits.scoring import refresh_stale

    refresh_stale()
    assert AnnualScore.objects.get(official=officials["zhang"], year=YEAR).category_score("group_study") == 2
    with django_capture_on_commit_callbacks(execute=False):
        services.update_group_study_session(
            by=staff_user,
            session=entered,
            occurred_on=date(YEAR, 5, 20),
            topic="学习贯彻全会精神",
            listeners=[officials["zhang"], officials["li"]],
        )
    assert set(StaleScore.objects.values_list("official__staff_no", flat=True)) == {"F001"}
    refresh_stale()
    assert (
        AnnualScore.objects.get(official=officials["zhang"], year=YEAR).category_score("group_study") == 1
    )  # speaker → listener


def test_deleting_a_session_removes_its_records_and_scores_follow(client, entered, officials, staff_user):
    services = services_module()
    services.approve_records(by=staff_user, record_ids=entered.records.values_list("pk", flat=True))
    from credits.scoring import refresh_stale

    refresh_stale()
    client.force_login(staff_user)
    response = client.post(f"/unit/sessions/{entered.pk}/delete/?unit=B01&year={YEAR}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"].startswith("/unit/sessions/?")
    assert not GroupStudySession.objects.exists() and not ActivityRecord.objects.exists()
    refresh_stale()
    assert AnnualScore.objects.get(official=officials["zhang"], year=YEAR).category_score("group_study") == 0
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "deleted with its 2 attendance records" in page
    from audit.models import ChangeLog

    assert ChangeLog.objects.filter(model="credits.groupstudysession", action="delete").count() == 1


def test_a_session_of_a_published_year_cannot_be_corrected_or_deleted(client, entered, staff_user, unit_admin_user):
    # The session's records still wait for review, so publishing needs the training section's reason.
    publish_year(by=staff_user, year=YEAR, override_reason="年度考核截止")
    client.force_login(unit_admin_user)
    response = post_session(client, entered, topic="改过的题目")
    assert response.status_code == 200 and "published and locked" in response.content.decode()
    response = client.post(f"/unit/sessions/{entered.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    entered.refresh_from_db()
    assert entered.topic == "学习贯彻全会精神" and entered.records.count() == 2


def test_bad_input_on_the_session_page_changes_nothing(client, entered, unit_admin_user):
    client.force_login(unit_admin_user)
    for changes in ({"topic": ""}, {"occurred_on": "2999-01-01"}, {"speakers": [], "listeners": []},
                    {"listeners": ["E001"]}, {"occurred_on": "x" * 3000}):  # fmt: skip
        response = post_session(client, entered, **changes)
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
    entered.refresh_from_db()
    assert entered.topic == "学习贯彻全会精神" and entered.records.count() == 2
    assert get(client, unit_admin_user, "/unit/sessions/99999999999999999999/").status_code == 404


def test_the_year_picker_offers_only_years_with_data_and_this_year(client, crafted, units, unit_admin_user):
    """Regression (issue 9): the picker offered 2023 with no scores (everyone 预计不合格)."""
    GroupStudySession.objects.create(unit=units["finance"], occurred_on=date(YEAR - 3, 4, 1), topic="旧")
    GroupStudySession.objects.create(unit=units["education"], occurred_on=date(YEAR - 4, 4, 1), topic="别的单位")
    html = get(client, unit_admin_user, "/unit/").content.decode()
    picker = html.split('name="year"')[1].split("</select>")[0]
    offered = [int(v.split('"')[0]) for v in picker.split('value="')[1:]]
    assert offered == [YEAR, YEAR - 3]  # this year (MID_YEAR is in YEAR) with scores, a year with a session
    # A year asked for by a link is shown (as on 我的学分), but not offered once you leave it.
    html = get(client, unit_admin_user, f"/unit/?year={YEAR - 2}", language="en").content.decode()
    assert f'value="{YEAR - 2}" selected' in html and "There is no year" not in html
    response = get(client, unit_admin_user, f"/unit/?year={YEAR + 1}", language="en")
    assert f"There is no year “{YEAR + 1}” to show" in response.content.decode()


def test_declaring_the_same_kind_and_date_for_an_official_warns_first(client, officials, unit_admin_user):
    client.force_login(unit_admin_user)
    data = {"official": "F001", "kind": "class_reflection", "quantity": "1", "occurred_on": f"{YEAR}-03-05"}
    assert client.post("/unit/declare/", data).status_code == 302
    response = client.post("/unit/declare/", data, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200 and ActivityRecord.objects.count() == 1
    assert "张伟 already has 1 record of this kind on this date" in html and 'name="confirm_duplicate"' in html
    assert client.post("/unit/declare/", {**data, "confirm_duplicate": "on"}).status_code == 302
    assert ActivityRecord.objects.count() == 2
