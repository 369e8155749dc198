"""Notifications: the page, e-mail after commit, and the mid-year behind-pace warning."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from credits import services
from credits.models import AnnualScore
from notifications.models import Notification, NotificationKind
from notifications.pace import (
    WARN_EXEMPT_OFFICIALS,
    WARNING_DATES,
    warn_behind_pace,
    warn_behind_pace_with_fresh_scores,
)
from organisation.models import Official
from tests.conftest import YEAR

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def note(user, n: int = 1, kind=NotificationKind.RECORD_APPROVED, url="/me/", **params) -> list[Notification]:
    params = {"kind": "menu_city_lecture", "occurred_on": f"{YEAR}-03-0{1 + n % 9}", "official": "张伟", **params}
    return [Notification.objects.create(recipient=user, kind=kind, params=params, url=url) for _ in range(n)]


@pytest.fixture
def zhang(officials):
    return officials["zhang"].user


# ---------------------------------------------------------------- the page


def test_the_page_needs_a_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(reverse("portal:notifications-read-all")).status_code == 302  # to the sign-in page too


def test_an_official_sees_only_their_own_newest_first_unread_highlighted(client, zhang, officials):
    older = note(zhang, kind=NotificationKind.RECORD_REJECTED, reason="材料不清晰")[0]
    newer = note(zhang)[0]
    Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)
    note(officials["wang"].user, kind=NotificationKind.RECORD_REJECTED, reason="王芳的秘密")
    client.force_login(zhang)
    page = client.get(LIST).content.decode()
    assert "王芳的秘密" not in page
    assert page.index("审核通过") < page.index("被退回：材料不清晰")  # newest first, in Chinese
    assert page.count('data-testid="unread-mark"') == 1  # only the newer one is unread
    assert 'data-testid="unread">1<' in page  # the badge in the nav
    assert f'href="/notifications/{newer.pk}/"' in page
    assert "全部标为已读" in page


def test_english_on_request(client, zhang):
    note(zhang)
    client.force_login(zhang)
    page = client.get(LIST, **EN).content.decode()
    assert "Your record “City training office menu lecture” of" in page and "was approved." in page
    assert "Mark all read" in page


def test_opening_one_marks_it_read_and_goes_to_its_page(client, zhang):
    first, second = note(zhang, 2)
    client.force_login(zhang)
    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/me/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    read_at = first.read_at
    client.get(f"/notifications/{first.pk}/")  # opening it again keeps the first reading
    first.refresh_from_db()
    assert first.read_at == read_at


def test_someone_else_s_notification_is_not_found(client, zhang, officials, unit_admin_user):
    other = note(officials["wang"].user)[0]
    for user in (zhang, unit_admin_user):
        client.force_login(user)
        assert client.get(f"/notifications/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_a_link_off_the_site_is_not_followed(client, zhang):
    evil = note(zhang, url="https://evil.example.com/")[0]
    empty = note(zhang, url="")[0]
    client.force_login(zhang)
    assert client.get(f"/notifications/{evil.pk}/")["Location"] == LIST
    assert client.get(f"/notifications/{empty.pk}/")["Location"] == LIST


def test_mark_all_read(client, zhang, officials):
    note(zhang, 3)
    theirs = note(officials["wang"].user)[0]
    client.force_login(zhang)
    assert client.get(reverse("portal:notifications-read-all")).status_code == 405  # only a POST changes anything
    response = client.post(reverse("portal:notifications-read-all"), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    page = response.content.decode()
    assert "3 条消息已标为已读" in page
    assert 'data-testid="unread-mark"' not in page and 'data-testid="unread"' not in page
    assert "全部标为已读" not in page  # nothing left to mark
    assert not Notification.objects.filter(recipient=zhang, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_unread_filter(client, zhang):
    read, unread = note(zhang, 2)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    client.force_login(zhang)
    page = client.get(LIST + "?show=unread").content.decode()
    assert f"/notifications/{unread.pk}/" in page and f"/notifications/{read.pk}/" not in page
    Notification.objects.filter(pk=unread.pk).update(read_at=unread.created_at)
    assert "没有未读消息" in client.get(LIST + "?show=unread").content.decode()


def test_nothing_yet(client, staff_user):
    client.force_login(staff_user)  # every role has the page
    response = client.get(LIST)
    assert response.status_code == 200
    assert "暂无消息" in response.content.decode()


def test_paginated_twenty_a_page_and_a_bad_page_number_shows_a_page(client, zhang):
    note(zhang, 25)
    client.force_login(zhang)
    first = client.get(LIST).content.decode()
    assert first.count('data-testid="notification"') == 20 and "第 1 / 2 页" in first
    second = client.get(LIST + "?page=2").content.decode()
    assert second.count('data-testid="notification"') == 5
    assert client.get(LIST + "?page=abc").content.decode().count('data-testid="notification"') == 20
    assert client.get(LIST + "?page=99").content.decode().count('data-testid="notification"') == 5


@pytest.mark.parametrize("how_many", [1, 30])
def test_the_page_runs_a_fixed_number_of_queries(client, zhang, how_many, django_assert_max_num_queries):
    note(zhang, how_many)
    note(zhang, kind=NotificationKind.BEHIND_PACE, categories=["menu", "online"], year=YEAR)
    client.force_login(zhang)
    with django_assert_max_num_queries(9):
        assert client.get(LIST).status_code == 200


# ---------------------------------------------------------------- e-mail


@pytest.fixture
def smtp(settings):
    settings.EMAIL_HOST = "smtp.test"
    settings.NOTIFY_BY_EMAIL = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://training.example.gov.cn"


def declared(official, d):
    return services.create_record(by=official.user, official=official, kind="class_reflection", quantity=1,
                                  occurred_on=d(3, 5))  # fmt: skip


def test_an_approval_is_emailed_in_chinese_after_commit(smtp, zhang, officials, staff_user, d,
                                                        django_capture_on_commit_callbacks):  # fmt: skip
    zhang.email = "zhang@example.gov.cn"
    zhang.save()
    record = declared(officials["zhang"], d)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_record(by=staff_user, record=record)
        assert mail.outbox == []  # nothing leaves before the commit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhang@example.gov.cn"]
    assert message.subject == f"张伟 {YEAR}-03-05 的“培训班学习心得”记录已审核通过。"
    assert "https://training.example.gov.cn/me/" in message.body and "请勿回复" in message.body
    assert Notification.objects.get(recipient=zhang).emailed_at is not None


def test_a_rejection_with_a_line_break_makes_a_one_line_subject(smtp, zhang, officials, staff_user, d,
                                                                django_capture_on_commit_callbacks):  # fmt: skip
    zhang.email = "zhang@example.gov.cn"
    zhang.save()
    record = declared(officials["zhang"], d)
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_record(by=staff_user, record=record, reason="证明材料不清晰，\n请重新上传盖章件")
    (message,) = mail.outbox
    assert "\n" not in message.subject and "被退回" in message.subject and len(message.subject) <= 78
    assert "证明材料不清晰，\n请重新上传盖章件" in message.body


def test_no_smtp_no_mail_but_the_portal_notification(settings, zhang, officials, staff_user, d,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    settings.EMAIL_HOST = ""
    settings.NOTIFY_BY_EMAIL = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    zhang.email = "zhang@example.gov.cn"
    zhang.save()
    record = declared(officials["zhang"], d)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.approve_record(by=staff_user, record=record)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=zhang)
    assert notification.kind == NotificationKind.RECORD_APPROVED and notification.emailed_at is None
    assert not any("enqueue_emails" in getattr(c, "__qualname__", "") for c in callbacks)


def test_no_address_no_mail_and_nobody_gets_one_twice(smtp, zhang, officials):
    from notifications.delivery import send_emails

    wang = officials["wang"].user
    wang.email = "wang@example.gov.cn"
    wang.save()
    ids = [n.pk for n in note(zhang) + note(wang)]
    assert send_emails(notification_ids=ids) == 1  # zhang has no address
    assert send_emails(notification_ids=ids) == 0  # a retried task sends nothing again
    assert [m.to for m in mail.outbox] == [["wang@example.gov.cn"]]


def test_a_down_broker_does_not_fail_the_review(smtp, zhang, officials, staff_user, d, monkeypatch,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    from notifications import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_notification_emails, "delay", down)
    record = declared(officials["zhang"], d)
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_record(by=staff_user, record=record)
    assert Notification.objects.filter(recipient=zhang).count() == 1


# ---------------------------------------------------------------- the mid-year warning

ON = date(YEAR, 7, 1)


@pytest.fixture
def pace_city(officials, staff_user, unit_admin_user, d):
    """zhang (finance, login): menu on pace, online behind; li (finance, no login): nothing at all, behind on both;
    wang (education, login): exempt. The finance unit's study administrator is told about zhang and li."""
    entry = {"by": staff_user}
    services.create_record(**entry, official=officials["zhang"], kind="menu_city_lecture", quantity=3,
                           occurred_on=d(3, 1))  # fmt: skip
    services.create_record(**entry, official=officials["zhang"], kind="online_hour", quantity=10, occurred_on=d(4, 1))
    services.record_exemption(**entry, official=officials["wang"], year=YEAR, reason="sick_leave")
    return officials


def behind_pace_notifications():
    return Notification.objects.filter(kind=NotificationKind.BEHIND_PACE)


def test_officials_behind_pace_and_their_unit_admin_are_warned(pace_city, unit_admin_user):
    assert warn_behind_pace_with_fresh_scores(year=YEAR, on=ON) == 2
    zhang, li = pace_city["zhang"], pace_city["li"]
    mine = behind_pace_notifications().get(recipient=zhang.user)
    assert mine.params["categories"] == ["online"] and mine.params["official"] == "张伟"
    assert mine.url == f"/me/?year={YEAR}"
    admins = behind_pace_notifications().filter(recipient=unit_admin_user).order_by("params__official")
    assert {n.params["official_id"]: n.params["categories"] for n in admins} == {
        zhang.pk: ["online"], li.pk: ["menu", "online"]}  # fmt: skip
    assert {n.url for n in admins} == {f"/unit/officials/F001/?year={YEAR}", f"/unit/officials/F002/?year={YEAR}"}
    assert not behind_pace_notifications().filter(recipient=pace_city["wang"].user).exists()  # exempt
    assert behind_pace_notifications().count() == 3


def test_the_warning_reads_naturally_in_chinese(pace_city, client):
    warn_behind_pace_with_fresh_scores(year=YEAR, on=ON)
    client.force_login(pace_city["zhang"].user)
    page = client.get(LIST).content.decode()
    # The exact cause, not just the category (issue 9).
    assert f"张伟 {YEAR} 年度进度落后：网络学习 5 分，还需 20 分。" in page and "单项进度落后" in page


def test_a_warning_stored_before_the_causes_still_reads(zhang):
    from notifications.texts import notification_text

    (old,) = note(zhang, kind=NotificationKind.BEHIND_PACE, year=YEAR, categories=["menu"])
    with translation.override("zh-hans"):
        assert notification_text(old) == f"张伟 {YEAR} 年度以下单项进度落后：“菜单式”选学。"


def test_each_warning_opens_a_page_its_reader_may_see(pace_city, unit_admin_user, client):
    warn_behind_pace_with_fresh_scores(year=YEAR, on=ON)
    for notification in behind_pace_notifications():
        client.force_login(notification.recipient)
        response = client.get(f"/notifications/{notification.pk}/", follow=True)
        assert response.status_code == 200 and response.redirect_chain[-1][0] == notification.url
        assert notification.params["official"] in response.content.decode()


def test_warned_once_a_month(pace_city):
    warn_behind_pace_with_fresh_scores(year=YEAR, on=ON)
    assert warn_behind_pace(year=YEAR, on=date(YEAR, 7, 20)) == 0  # a second run in July adds nothing
    assert behind_pace_notifications().count() == 3
    assert warn_behind_pace(year=YEAR, on=date(YEAR, 8, 1)) == 2  # a new month is a new window
    assert behind_pace_notifications().count() == 6


def test_an_official_with_nobody_to_tell_is_not_counted_and_warned_once_someone_is(pace_city, unit_admin_user):
    from organisation.models import StudyAdministrator

    StudyAdministrator.objects.all().delete()
    assert warn_behind_pace_with_fresh_scores(year=YEAR, on=ON) == 1  # zhang; li has no login and no administrator
    StudyAdministrator.objects.create(user=unit_admin_user, unit=pace_city["li"].unit)
    assert warn_behind_pace(year=YEAR, on=date(YEAR, 7, 2)) == 1  # now li, through the new administrator
    assert [n.params["official"] for n in behind_pace_notifications().filter(recipient=unit_admin_user)] == ["李娜"]


def test_nobody_is_behind_before_the_year_or_after_it(pace_city):
    warn_behind_pace_with_fresh_scores(year=YEAR, on=date(YEAR - 1, 12, 1))
    assert warn_behind_pace(year=YEAR, on=date(YEAR + 1, 1, 5)) == 0
    assert not behind_pace_notifications().exists()


def test_exempt_officials_are_not_warned_by_decision():
    assert WARN_EXEMPT_OFFICIALS is False


def test_an_administrator_who_is_the_official_gets_one_notification(pace_city, unit_admin_user):
    Official.objects.filter(pk=pace_city["zhang"].pk).update(user=unit_admin_user)
    warn_behind_pace_with_fresh_scores(year=YEAR, on=ON)
    assert behind_pace_notifications().filter(recipient=unit_admin_user, params__official="张伟").count() == 1


def test_the_warning_is_set_based(units, roles, unit_admin_user, django_assert_max_num_queries):
    from credits.scoring import compute_scores
    from tests.conftest import make_user

    officials = [Official(staff_no=f"N{i:03}", name=f"干部{i}", unit=units["finance"]) for i in range(40)]
    Official.objects.bulk_create(officials)
    for official in officials[:10]:
        official.user = make_user(f"o{official.staff_no}")
        official.save()
    compute_scores(year=YEAR)
    assert AnnualScore.objects.filter(year=YEAR).count() == 40
    with django_assert_max_num_queries(6):  # savepoint, (lock on PostgreSQL), already warned, read, insert, release
        assert warn_behind_pace(year=YEAR, on=ON) == 40
    assert behind_pace_notifications().count() == 50


def test_the_warning_is_emailed_after_commit(smtp, pace_city, unit_admin_user, django_capture_on_commit_callbacks):
    unit_admin_user.email = "admin@finance.example.gov.cn"
    unit_admin_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        warn_behind_pace_with_fresh_scores(year=YEAR, on=ON)
    assert sorted(m.subject for m in mail.outbox) == [
        f"张伟 {YEAR} 年度进度落后：网络学习 5 分，还需 20 分。",
        f"李娜 {YEAR} 年度进度落后：“菜单式”选学 0 分，还需 24 分；市干教办“菜单式”讲座 0 次，还需 4 次；"
        "网络学习 0 分，还需 25 分。",
    ]


def test_beat_runs_it_on_the_warning_dates(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["warn-behind-pace"]
    assert entry["task"] == "notifications.tasks.warn_behind_pace_today"
    schedule = entry["schedule"]
    assert schedule.month_of_year == {m for m, _ in WARNING_DATES}
    assert schedule.day_of_month == {day for _, day in WARNING_DATES}
    assert (schedule.hour, schedule.minute) == ({9}, {0})
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"


def test_the_task_warns_as_of_today(pace_city, monkeypatch):
    from django.utils import timezone

    from notifications.tasks import warn_behind_pace_today

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: ON)
    assert warn_behind_pace_today.delay().get() == 2


def test_the_command(pace_city, capsys):
    call_command("warn_behind_pace", "--year", str(YEAR), "--on", ON.isoformat())
    assert f"{YEAR}, pace on {ON}: 2 officials warned." in capsys.readouterr().out
    call_command("warn_behind_pace", "--year", str(YEAR), "--on", ON.isoformat())
    assert "0 officials warned" in capsys.readouterr().out
    with pytest.raises(CommandError, match="is not a date"):
        call_command("warn_behind_pace", "--on", "1 July")
    with translation.override("en"), pytest.raises(CommandError, match="between 2000 and"):
        call_command("warn_behind_pace", "--year", "99", "--on", ON.isoformat())


# ---------------------------------------------------------------- links to the record, grouping, grade changes


def test_a_review_links_to_the_record_itself(client, zhang, officials, staff_user, unit_admin_user, d):
    """Regression (issue 9): the notification opened the top of 我的学分, not the record."""
    record = services.create_record(by=unit_admin_user, official=officials["zhang"], kind="class_reflection",
                                    quantity=1, occurred_on=d(3, 5))  # fmt: skip
    services.reject_record(by=staff_user, record=record, reason="材料不清晰")
    mine = Notification.objects.get(recipient=zhang)
    assert mine.url == f"/me/?year={YEAR}#record-{record.pk}"
    declarer = Notification.objects.get(recipient=unit_admin_user)
    assert declarer.url == f"/unit/officials/F001/?year={YEAR}#record-{record.pk}"
    client.force_login(zhang)
    assert client.get(f"/notifications/{mine.pk}/")["Location"] == mine.url
    page = client.get(mine.url).content.decode()
    assert f'id="record-{record.pk}"' in page  # the anchor is there to land on
    client.force_login(unit_admin_user)
    assert f'id="record-{record.pk}"' in client.get(declarer.url).content.decode()


def test_approving_a_session_tells_its_declarer_once_and_each_attendee_once(
    zhang, officials, staff_user, unit_admin_user, units, d
):
    """Regression (issue 9): approving one central-group session sent one notification per attendee line."""
    extra = [Official.objects.create(staff_no=f"F1{i:02d}", name=f"干部{i}", unit=units["finance"]) for i in range(6)]
    session = services.record_group_study_session(
        by=unit_admin_user, unit=units["finance"], occurred_on=d(4, 2), topic="学习二十大精神",
        speakers=[officials["zhang"]], listeners=[officials["li"], *extra],
    )  # fmt: skip
    approved = services.approve_records(by=staff_user, record_ids=session.records.values_list("pk", flat=True))
    assert approved == 8
    (told,) = Notification.objects.filter(recipient=unit_admin_user)
    assert told.kind == NotificationKind.RECORDS_APPROVED and told.url == f"/unit/sessions/{session.pk}/"
    with translation.override("zh-hans"):
        from notifications.texts import notification_text

        text = notification_text(told)
    assert "8 条" in text and "学习二十大精神" in text and "张伟、李娜、干部0" in text and "等 8 人" in text
    (own,) = Notification.objects.filter(recipient=zhang)
    assert own.kind == NotificationKind.RECORD_APPROVED and own.url.endswith(f"#record-{own.params['record']}")


def test_an_import_approved_together_is_one_notification_per_official(zhang, officials, staff_user,
                                                                      unit_admin_user, d):  # fmt: skip
    rows = [services.ImportedRecord(row=i + 2, official=officials["zhang"], kind="class_reflection",
                                    quantity=Decimal(1), occurred_on=d(3, 1 + i)) for i in range(3)]  # fmt: skip
    rows.append(services.ImportedRecord(row=5, official=officials["li"], kind="class_reflection",
                                        quantity=Decimal(1), occurred_on=d(3, 9)))  # fmt: skip
    assert services.import_records(by=unit_admin_user, rows=rows, year=YEAR).written
    ids = list(services.ActivityRecord.objects.values_list("pk", flat=True))
    services.approve_records(by=staff_user, record_ids=ids)
    (own,) = Notification.objects.filter(recipient=zhang)
    assert own.kind == NotificationKind.RECORDS_APPROVED and own.params["count"] == 3
    assert own.url.startswith(f"/me/?year={YEAR}#record-")
    (declarer,) = Notification.objects.filter(recipient=unit_admin_user)
    assert declarer.params["count"] == 4 and declarer.params["officials"] == ["张伟", "李娜"]
    with translation.override("en"):
        from notifications.texts import notification_text

        assert notification_text(declarer) == f"4 imported records of {YEAR} were approved (张伟、李娜)."


def test_an_official_is_told_when_a_recompute_changes_their_grade(zhang, officials, staff_user, d):
    from credits.scoring import compute_scores

    official = officials["zhang"]
    compute_scores(year=YEAR, official_ids=[official.pk])
    assert not Notification.objects.filter(kind=NotificationKind.GRADE_CHANGED).exists()  # the first score: no change
    compute_scores(year=YEAR, official_ids=[official.pk])  # nothing changed: nothing said
    assert not Notification.objects.filter(kind=NotificationKind.GRADE_CHANGED).exists()
    AnnualScore.objects.filter(official=official, year=YEAR).update(grade="pass", digest="old")
    compute_scores(year=YEAR, official_ids=[official.pk])  # the records say fail
    (told,) = Notification.objects.filter(recipient=zhang, kind=NotificationKind.GRADE_CHANGED)
    assert told.params == {"year": YEAR, "old": "pass", "new": "fail"} and told.url == f"/me/?year={YEAR}"
    with translation.override("zh-hans"):
        from notifications.texts import notification_text

        assert notification_text(told) == f"您 {YEAR} 年度的考核等次由“合格”变为“不合格”。"
    compute_scores(year=YEAR)  # a whole-year recompute with nothing changed tells nobody again
    assert Notification.objects.filter(kind=NotificationKind.GRADE_CHANGED).count() == 1
