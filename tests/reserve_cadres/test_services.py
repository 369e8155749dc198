"""The reserve pool's services and selectors: who may act (PermissionDenied), plain-word ValidationErrors, audit,
replacing a year's entry, the published list, a reserve's file in date order, flags and due items."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import ChangeLog
from courses.models import ClassType, TrainingClass
from reserve_cadres.models import Reserve
from reserve_cadres.selectors.reserves import (
    due_items,
    flagged,
    flags_of,
    published_list,
    reserve_file,
    reserves_visible_to,
)
from reserve_cadres.services import reserves as services
from tests.conftest import YEAR
from tests.evidence_files import pdf

pytestmark = pytest.mark.django_db

VOTES = {"excellent": 10, "competent": 5, "basically_competent": 0, "incompetent": 0}


@pytest.fixture
def zhang(staff_user, officials) -> Reserve:
    official = officials["zhang"]
    official.birth_date = date(1990, 5, 1)
    official.save()
    return services.add_reserve(by=staff_user, official=official, level="section_chief", stream="economic",
                                decided_on=date(YEAR, 3, 1), contact_leader="陈县长")  # fmt: skip


@pytest.fixture
def wang(staff_user, officials) -> Reserve:
    return services.add_reserve(by=staff_user, official=officials["wang"], level="section_chief",
                                stream="party_government", decided_on=date(YEAR, 3, 1))  # fmt: skip


def messages(error: ValidationError) -> str:
    return str(error.message_dict if hasattr(error, "error_dict") else error.messages)


# ---------------------------------------------------------------------------------------------------
# Who may


def test_only_the_training_section_decides_examines_and_takes_out(zhang, unit_admin_user, officials):
    official = officials["zhang"].user
    for user in (unit_admin_user, official):
        with pytest.raises(PermissionDenied):
            services.add_reserve(by=user, official=officials["li"], level="deputy_section", stream="economic",
                                 decided_on=date(YEAR, 3, 1))  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.record_exam(by=user, reserve=zhang, year=YEAR, score=Decimal(80))
        with pytest.raises(PermissionDenied):
            services.record_defense(by=user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES)
        with pytest.raises(PermissionDenied):
            services.add_practice(by=user, reserve=zhang, kind="rotation", place="x", starts_on=date(YEAR, 6, 1))
        with pytest.raises(PermissionDenied):
            services.link_training(by=user, reserve=zhang, year=YEAR, title="x")
        with pytest.raises(PermissionDenied):
            services.disqualify(by=user, reserve=zhang, reason="other", note="x")
        with pytest.raises(PermissionDenied):
            services.appoint(by=user, reserve=zhang)


def test_the_unit_follows_up_its_own_reserves_only(zhang, wang, unit_admin_user, officials):
    talk = services.add_talk(by=unit_admin_user, reserve=zhang, held_on=date(YEAR, 7, 1))
    assert talk.leader == "陈县长"  # the contact leader by default
    services.record_assessment(by=unit_admin_user, reserve=zhang, year=YEAR, result="competent")
    services.add_reflection(by=unit_admin_user, reserve=zhang, period=f"{YEAR}H1", title="心得")
    with pytest.raises(PermissionDenied):
        services.add_talk(by=unit_admin_user, reserve=wang, held_on=date(YEAR, 7, 1), leader="x")
    with pytest.raises(PermissionDenied):
        services.record_assessment(by=unit_admin_user, reserve=wang, year=YEAR, result="competent")
    with pytest.raises(PermissionDenied):
        services.add_reflection(by=unit_admin_user, reserve=wang, period=f"{YEAR}H1", title="x")
    with pytest.raises(PermissionDenied):  # an official may not follow up even their own file
        services.add_talk(by=officials["zhang"].user, reserve=zhang, held_on=date(YEAR, 7, 1), leader="x")


def test_visibility(zhang, wang, staff_user, unit_admin_user, officials):
    assert set(reserves_visible_to(staff_user)) == {zhang, wang}
    assert set(reserves_visible_to(unit_admin_user)) == {zhang}
    assert list(reserves_visible_to(officials["zhang"].user)) == []
    services.appoint(by=staff_user, reserve=wang)
    assert list(published_list()) == [zhang]


# ---------------------------------------------------------------------------------------------------
# Plain words, audit, one entry a year


def test_add_reserve_checks(staff_user, officials, zhang):
    with pytest.raises(ValidationError, match="already in the reserve pool"):
        services.add_reserve(by=staff_user, official=officials["zhang"], level="section_chief", stream="economic",
                             decided_on=date(YEAR, 3, 1))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.add_reserve(by=staff_user, official=officials["li"], level="chief", stream="economic",
                             decided_on=date(YEAR, 3, 1))  # fmt: skip
    assert "level" in error.value.message_dict
    with pytest.raises(ValidationError, match="future"):
        services.add_reserve(by=staff_user, official=officials["li"], level="deputy_section", stream="economic",
                             decided_on=timezone.localdate() + timedelta(days=1))  # fmt: skip
    # after leaving the pool, the official may be decided on again
    services.disqualify(by=staff_user, reserve=zhang, reason="other", note="调离")
    again = services.add_reserve(by=staff_user, official=officials["zhang"], level="section_chief",
                                 stream="economic", decided_on=date(YEAR + 1, 1, 5))  # fmt: skip
    assert again.status == "active"


def test_exam_again_replaces_it_and_is_audited(staff_user, zhang):
    first = services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score="70.5")
    second = services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=Decimal("88"))
    assert first.pk == second.pk and zhang.exams.get().score == Decimal("88.00")
    logs = ChangeLog.objects.filter(model="reserve_cadres.exam", object_id=str(first.pk)).order_by("pk")
    assert [log.action for log in logs] == ["create", "update"]
    assert logs[1].old == {"score": "70.50"} and logs[1].new == {"score": "88.00"}
    for bad in [Decimal("100.01"), "-0.01", "60.001", "NaN", "x", None, [60]]:
        with pytest.raises(ValidationError):
            services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=bad)
    with pytest.raises(ValidationError, match="has not begun"):
        services.record_exam(by=staff_user, reserve=zhang, year=timezone.localdate().year + 1, score=80)


def test_defense_rows_and_exact_scores(staff_user, zhang):
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=75)
    defense = services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=["58.33"] * 4 + ["58.34"] * 2,
                                      votes={"excellent": 4, "competent": 6, "basically_competent": 2,
                                             "incompetent": 4}, held_on=date(YEAR, 5, 20))  # fmt: skip
    assert defense.passed and defense.score == 60
    stored = zhang.defenses.get()
    assert [row.score for row in stored.examiner_scores.all()] == [Decimal("58.33")] * 4 + [Decimal("58.34")] * 2
    assert stored.score == Decimal("60.00000000") and stored.passed
    assert (stored.excellent, stored.competent, stored.basically_competent, stored.incompetent) == (4, 6, 2, 4)
    with pytest.raises(ValidationError) as error:
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                                held_on=date(YEAR + 1, 1, 1))  # fmt: skip
    assert "held_on" in error.value.message_dict
    with pytest.raises(ValidationError, match="Unknown vote"):
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes={"great": 15})
    with pytest.raises(ValidationError, match="whole number"):
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5,
                                votes={**VOTES, "competent": 2.5})  # fmt: skip


def test_the_defense_messages_are_translated(staff_user, zhang):
    from django.utils import translation

    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=75)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 4, votes=VOTES)
    assert "考官" in messages(error.value)


def test_a_file_out_of_the_pool_takes_no_entries(staff_user, unit_admin_user, zhang):
    services.appoint(by=staff_user, reserve=zhang, on=date(YEAR + 1, 1, 10))
    zhang.refresh_from_db()
    assert (zhang.status, zhang.left_on) == ("appointed", date(YEAR + 1, 1, 10))
    with pytest.raises(ValidationError, match="no longer in the reserve pool"):
        services.add_talk(by=unit_admin_user, reserve=zhang, held_on=date(YEAR, 7, 1), leader="x")
    with pytest.raises(ValidationError, match="no longer in the reserve pool"):
        services.appoint(by=staff_user, reserve=zhang)


def test_leaving_dates(staff_user, zhang):
    with pytest.raises(ValidationError, match="before the reserve was decided"):
        services.disqualify(by=staff_user, reserve=zhang, reason="other", note="x", on=date(YEAR, 2, 28))
    with pytest.raises(ValidationError, match="future"):
        services.appoint(by=staff_user, reserve=zhang, on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        services.disqualify(by=staff_user, reserve=zhang, reason="other", note="x" * 1001)
    assert "note" in error.value.message_dict


def test_reflection_file_is_checked_and_replaced(staff_user, unit_admin_user, zhang):
    upload = SimpleUploadedFile("a.pdf", pdf(), content_type="application/pdf")
    row = services.add_reflection(by=unit_admin_user, reserve=zhang, period=f"{YEAR}H2", title="心得", upload=upload)
    # Stored under a name of its own, not the uploader's (a random hex name may well end in "a.pdf").
    assert row.file_type == "pdf" and row.file.name.endswith(".pdf") and row.file.name.rsplit("/", 1)[-1] != "a.pdf"
    again = services.add_reflection(by=unit_admin_user, reserve=zhang, period=f"{YEAR}H2", title="心得（修改）")
    assert again.pk == row.pk and again.title == "心得（修改）" and again.file_type == "pdf"
    fake = SimpleUploadedFile("b.png", b"\x89PNG not really", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.add_reflection(by=unit_admin_user, reserve=zhang, period=f"{YEAR}H2", title="x", upload=fake)
    assert "file" in error.value.message_dict
    future = f"{timezone.localdate().year + 1}H1"
    with pytest.raises(ValidationError, match="not a half year"):
        services.add_reflection(by=unit_admin_user, reserve=zhang, period=future, title="x")


def test_link_training_to_a_growth_class(staff_user, zhang, units):
    def klass(code, class_type):
        return TrainingClass.objects.create(code=code, title="经济管理后备干部班", organiser=units["finance"],
                                            class_type=class_type, starts_on=date(YEAR, 4, 1),
                                            ends_on=date(YEAR, 4, 12), days=Decimal(12), capacity=40,
                                            dispatch="assigned")  # fmt: skip

    growth = klass("growth-2025", ClassType.GROWTH)
    row = services.link_training(by=staff_user, reserve=zhang, year=YEAR, training_class=growth)
    assert (row.title, row.days) == ("经济管理后备干部班", Decimal(12))
    other = klass("other-2025", next(c for c in ClassType.values if c != ClassType.GROWTH))
    with pytest.raises(ValidationError, match="growth"):
        services.link_training(by=staff_user, reserve=zhang, year=YEAR, training_class=other)
    with pytest.raises(ValidationError, match="does not start"):
        services.link_training(by=staff_user, reserve=zhang, year=YEAR + 1, training_class=growth)
    with pytest.raises(ValidationError):
        services.link_training(by=staff_user, reserve=zhang, year=YEAR, title="x", days="0")


# ---------------------------------------------------------------------------------------------------
# Selectors


def test_reserve_file_is_a_timeline_by_date(staff_user, unit_admin_user, zhang):
    services.link_training(by=staff_user, reserve=zhang, year=YEAR, title="经济管理班", days=12)
    services.record_exam(by=staff_user, reserve=zhang, year=YEAR, score=80)
    services.record_defense(by=staff_user, reserve=zhang, year=YEAR, panel=[80] * 5, votes=VOTES,
                            held_on=date(YEAR, 5, 20))  # fmt: skip
    services.add_practice(by=staff_user, reserve=zhang, kind="rotation", place="某镇", starts_on=date(YEAR, 6, 1))
    services.add_talk(by=unit_admin_user, reserve=zhang, held_on=date(YEAR, 7, 1), note="谈话")
    services.record_assessment(by=unit_admin_user, reserve=zhang, year=YEAR, result="excellent")
    services.disqualify(by=staff_user, reserve=zhang, reason="health", note="病休", on=date(YEAR + 1, 2, 1))
    entries = reserve_file(zhang)
    whats = [e.what for e in entries]
    assert whats[0] == "decision" and whats[-1] == "disqualified"
    assert set(whats) == {"decision", "training", "exam", "defense", "practice", "talk", "assessment", "disqualified"}
    assert [e.on for e in entries] == sorted(e.on for e in entries)
    defense = next(e for e in entries if e.what == "defense")
    assert defense.on == date(YEAR, 5, 20) and defense.details["score"] == Decimal("85.33")
    assert all(date(YEAR, 1, 1) <= e.on for e in entries)


def test_flags_and_flagged(staff_user, unit_admin_user, zhang, wang):
    services.record_exam(by=staff_user, reserve=wang, year=YEAR, score="59.99")
    assert flags_of(wang, day=date(YEAR, 12, 31)) == ["exam_failed"]
    assert flags_of(wang, day=date(YEAR - 1, 12, 31)) == []  # a later year's result is not known yet
    # zhang, section chief born 1990-05-01, turns 41 on 2031-05-01
    rows = flagged(day=date(2031, 2, 1))
    assert [(r.reserve, r.flags, r.soon_too_old) for r in rows] == [(zhang, [], date(2031, 5, 1)),
                                                                    (wang, ["exam_failed"], None)]  # fmt: skip
    assert [r.reserve for r in flagged(day=date(2031, 2, 1), unit_id=zhang.official.unit_id)] == [zhang]
    assert flagged(day=date(2031, 1, 31))[0].reserve == zhang  # 90 days ahead
    assert flagged(day=date(2031, 1, 30))[0].reserve == wang  # 91: not yet
    wang = services.disqualify(by=staff_user, reserve=wang, reason="refused_or_failed", note="笔试未通过")
    assert flags_of(wang, day=date(YEAR, 12, 31)) == []
    assert [r.reserve for r in flagged(day=date(2031, 2, 1))] == [zhang]


def test_due_items_and_overdue(staff_user, unit_admin_user, zhang, wang):
    day = date(YEAR, 12, 26)
    rows = [
        (r.reserve, r.what, r.period, r.due_on, r.overdue) for r in due_items(day=day, unit_id=zhang.official.unit_id)
    ]
    assert rows == [
        (zhang, "reflection", f"{YEAR}H1", date(YEAR, 6, 30), True),
        (zhang, "assessment", str(YEAR), date(YEAR, 12, 25), True),
        (zhang, "reflection", f"{YEAR}H2", date(YEAR, 12, 31), False),
    ]
    on_the_day = {(r.what, r.overdue) for r in due_items(day=date(YEAR, 12, 25), unit_id=zhang.official.unit_id)}
    assert ("assessment", False) in on_the_day  # due by 25 December: not overdue on the day
    services.add_reflection(by=unit_admin_user, reserve=zhang, period=f"{YEAR}H1", title="心得")
    services.record_assessment(by=unit_admin_user, reserve=zhang, year=YEAR, result="competent")
    assert [(r.what, r.period) for r in due_items(day=day, unit_id=zhang.official.unit_id)] == [
        ("reflection", f"{YEAR}H2")
    ]
    services.appoint(by=staff_user, reserve=wang)
    assert all(r.reserve == zhang for r in due_items(day=day))  # active reserves only
    late = services.add_reserve(by=staff_user, official=wang.official, level="section_chief", stream="economic",
                                decided_on=date(YEAR, 12, 28))  # fmt: skip
    assert [r.what for r in due_items(day=date(YEAR, 12, 30)) if r.reserve == late] == ["reflection"]
