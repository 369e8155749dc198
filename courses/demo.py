"""The demo city's training organisation (``manage.py load_demo_city`` runs it through the ``demo_city_loaded``
signal, after the city, its records and the demo sign-ins exist).

Two parts:

* **History**, written in bulk from the records the city generator wrote for the year: every class of the city's
  class plan becomes a closed class (entered after the fact) whose trainees and results are the officials with a
  ``class_day`` record of it, each record linked to the class; every lecture of the city's lecture calendar
  becomes a lecture with its sign-ups checked in, each record linked. So the year's class and lecture records are
  what the training organisation produced.
* **Now**, through the services as a user would: a catalogue, the faculty pool, classes in every state (a draft, a
  filed one waiting for approval, an approved quota class with seats for the demo unit, an approved by-name class
  with the demo official, a class that ended with its results entered, waiting to be closed), a lecture today with
  the demo official signed up (check in with its code) and one ahead, online course completions, and next year's
  unit plans (some units have filed, some not).
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from credits.models import ActivityRecord, Status
from organisation.models import Official, Unit

from .models import (
    ClassRecord,
    ClassStatus,
    ClassType,
    Course,
    Dispatch,
    Enrolment,
    Lecture,
    LectureLevel,
    LectureSignup,
    Subject,
    TrainingClass,
)
from .subjects import ensure_subjects

SEED = 2026
CLASS_TYPES = [ClassType.THEMATIC, ClassType.APPOINTMENT, ClassType.INITIAL, ClassType.GROWTH, ClassType.OTHER]
# (code, title, subject code, hours, online, credits)
COURSES = [
    ("XJP-01", "习近平新时代中国特色社会主义思想概论", "political-theory", "6", False, None),
    ("DJ-01", "新时代党的建设总要求", "party-building", "4", False, None),
    ("DJ-02", "党纪学习教育专题辅导", "integrity", "3", True, "5"),
    ("FZ-01", "法治政府建设与依法行政", "law", "4", True, "8"),
    ("GL-01", "公共危机管理", "public-management", "3", False, None),
    ("GL-02", "数字政府建设实务", "digital-government", "6", True, "10"),
    ("JJ-01", "宏观经济形势分析", "macro-economy", "4", True, "8"),
    ("JJ-02", "招商引资与营商环境", "economy-trade", "3", False, None),
    ("LS-01", "中国共产党历史专题", "party-history", "8", True, "12"),
    ("WH-01", "江南文化与城市精神", "history-culture", "2", True, "5"),
    ("ZL-01", "基层社会治理创新", "social-governance", "4", False, None),
    ("YJ-01", "应急管理与安全生产", "emergency-management", "3", True, "5"),
    ("ST-01", "生态文明建设与绿色发展", "ecology", "4", True, "8"),
    ("XC-01", "乡村振兴战略实践", "rural-revitalisation", "4", False, None),
    ("QC-01", "新能源汽车产业链", "automotive", "3", True, "5"),
    ("NY-01", "现代农业产业园建设", "modern-agriculture", "3", False, None),
    ("SW-01", "生物医药产业发展前沿", "biopharma", "3", True, "5"),
    ("LY-01", "全域旅游与文旅融合", "tourism", "2", True, "5"),
    ("LD-01", "领导科学与决策艺术", "leadership", "4", False, None),
    ("XL-01", "领导干部心理调适", "psychology", "2", True, "5"),
]


def _staff():
    from organisation.demo import DEMO_ORG_STAFF

    return get_user_model().objects.get(username=DEMO_ORG_STAFF)


def loaded() -> bool:
    return TrainingClass.objects.exists()


@transaction.atomic
def build_training(*, year: int, progress=print) -> dict:
    """Fill the training organisation for the demo year (once: does nothing when classes exist)."""
    if loaded():
        return {}
    staff = _staff()
    summary = {"history": _history(year=year, staff=staff)}
    summary.update(_now(year=year, staff=staff))
    progress(
        f"training: {summary['history']['classes']} classes and {summary['history']['lectures']} lectures of {year} "
        f"linked to their records; classes in every state, lectures, {summary['completions']} online completions, "
        f"{summary['plans']} unit plans for {year + 1}"
    )
    return summary


# -- history ----------------------------------------------------------------------------------------------------


def _history(*, year: int, staff) -> dict:
    organiser = Unit.objects.filter(name="市委组织部").first() or Unit.objects.order_by("code").first()
    now = timezone.now()
    days = (
        ActivityRecord.objects.filter(kind="class_day", occurred_on__year=year, status=Status.APPROVED)
        .exclude(note="")
        .values_list("pk", "official_id", "official__unit_id", "note", "occurred_on", "quantity", "class_passed")
    )
    groups: dict[tuple[str, date], list] = defaultdict(list)
    for row in days:
        groups[(row[3], row[4])].append(row)
    classes, enrolments, links = [], [], []
    for n, ((title, start), rows) in enumerate(sorted(groups.items(), key=lambda item: (item[0][1], item[0][0]))):
        length = max(row[5] for row in rows)
        end = min(start + timedelta(days=int(length) - 1), date(year, 12, 31))
        training_class = TrainingClass(
            code=f"{year}-H{n + 1:02}", title=title[:200], organiser=organiser, class_type=CLASS_TYPES[n % 5],
            starts_on=start, ends_on=end, days=length, capacity=len(rows),
            dispatch=Dispatch.BY_NAME if n % 2 else Dispatch.QUOTA, status=ClassStatus.CLOSED, recorded_after=True,
            created_by=staff, approved_at=now, approved_by=staff, closed_at=now, closed_by=staff,
        )  # fmt: skip
        classes.append((training_class, rows))
    TrainingClass.objects.bulk_create([c for c, _rows in classes])
    for training_class, rows in classes:
        for pk, official_id, unit_id, _note, _on, quantity, passed in rows:
            enrolments.append(
                Enrolment(
                    training_class=training_class,
                    official_id=official_id,
                    unit_id=unit_id,
                    nominated_by=staff,
                    days_attended=quantity,
                    passed=passed,
                    result_at=now,
                )  # fmt: skip
            )
            links.append(ClassRecord(training_class=training_class, official_id=official_id, kind="class_day",
                                     record_id=pk))  # fmt: skip
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)
    ClassRecord.objects.bulk_create(links, batch_size=2000)
    ActivityRecord.objects.filter(pk__in=[link.record_id for link in links]).update(source="generated")

    lectures = (
        ActivityRecord.objects.filter(
            kind__in=("menu_city_lecture", "menu_other_lecture"), occurred_on__year=year, status=Status.APPROVED
        )
        .exclude(note="")
        .values_list("pk", "official_id", "kind", "note", "occurred_on")
    )
    by_lecture: dict[tuple[str, str, date], list] = defaultdict(list)
    for pk, official_id, kind, note, held_on in lectures:
        by_lecture[(kind, note, held_on)].append((pk, official_id))
    rng = random.Random(SEED)
    made, signups = [], []
    for n, ((kind, title, held_on), rows) in enumerate(sorted(by_lecture.items(), key=lambda i: (i[0][2], i[0][1]))):
        lecture = Lecture(
            code=f"{year}-L{n + 1:03}", title=title[:200], held_on=held_on,
            level=LectureLevel.CITY if kind == "menu_city_lecture" else LectureLevel.OTHER,
            capacity=max(100, len(rows)), checkin_code=f"{rng.randrange(10**6):06}", created_by=staff,
        )  # fmt: skip
        made.append((lecture, rows))
    Lecture.objects.bulk_create([lecture for lecture, _rows in made])
    for lecture, rows in made:
        seen = set()
        for pk, official_id in rows:
            if official_id in seen:  # one sign-up per official and lecture; a second record stays unlinked
                continue
            seen.add(official_id)
            signups.append(
                LectureSignup(
                    lecture=lecture, official_id=official_id, checked_in_at=now, checked_in_by=staff, record_id=pk
                )  # fmt: skip
            )
    LectureSignup.objects.bulk_create(signups, batch_size=2000)
    return {"classes": len(classes), "trainees": len(enrolments), "lectures": len(made), "checkins": len(signups)}


# -- now: through the services --------------------------------------------------------------------------------


def _now(*, year: int, staff) -> dict:
    from organisation.demo import DEMO_OFFICIAL, DEMO_UNIT_ADMIN

    from .services import catalogue, classes, faculty, lectures, online, plans

    today = timezone.localdate()
    # What gives records happens within the demo year (its last day when the year is over); what is still to come
    # (filing 30 days ahead, approvals, sign-ups) is dated from today.
    anchor = min(today, date(year, 12, 31))
    rng = random.Random(SEED + 1)
    ensure_subjects()  # a test database flushed between tests has lost the migration's rows
    subjects = {s.code: s for s in Subject.objects.all()}
    courses = [
        catalogue.create_course(
            by=staff,
            code=code,
            title=title,
            subject=subjects[subject],
            hours=Decimal(hours),
            online=is_online,
            credits=Decimal(credits) if credits else None,
        )  # fmt: skip
        for code, title, subject, hours, is_online, credits in COURSES
    ]
    online_courses = [c for c in courses if c.online]
    catalogue.create_module(by=staff, code="foundation", title="干部基础必修模块", courses=courses[:6])
    catalogue.create_module(
        by=staff, code="industries", title="地方产业选修模块", elective=True, courses=courses[14:18]
    )

    demo_official = Official.objects.get(user__username=DEMO_OFFICIAL)
    demo_unit = Unit.objects.get(study_admins__user__username=DEMO_UNIT_ADMIN)
    people = list(Official.objects.exclude(pk=demo_official.pk).order_by("staff_no").values_list("pk", flat=True))
    rng.shuffle(people)
    officials = {o.pk: o for o in Official.objects.filter(pk__in=people[:400]).select_related("unit")}
    pool = [officials[pk] for pk in people[:400]]
    teachers = pool[:8]
    for teacher in teachers[:5]:
        faculty.add_faculty_member(by=staff, official=teacher, joined_on=date(year - 2, 3, 1), note="市委党校兼职教师")
    organiser = Unit.objects.filter(name="市委组织部").first() or demo_unit

    def new_class(code, title, class_type, starts, days, capacity, dispatch, recorded_after=False):
        return classes.create_class(
            by=staff, code=code, title=title, organiser=organiser, class_type=class_type, starts_on=starts,
            ends_on=starts + timedelta(days=days - 1), days=Decimal(days), capacity=capacity, dispatch=dispatch,
            filing_note="学员：各单位按名额推荐；内容：专题辅导、现场教学、分组研讨；日程见课程安排。",
            recorded_after=recorded_after,
        )  # fmt: skip

    # Waiting to be closed: a by-name class that ended last week, entered after the fact with its results.
    ended = new_class(f"{year}-N01", f"{year}年基层治理能力提升班", ClassType.THEMATIC,
                      anchor - timedelta(days=10), 3, 20, Dispatch.BY_NAME, recorded_after=True)  # fmt: skip
    for n, teacher in enumerate(teachers[:3]):
        classes.add_session(
            by=staff, training_class=ended, held_on=ended.starts_on + timedelta(days=n), course=courses[10 + n % 3],
            topic=courses[10 + n % 3].title, teacher=teacher,
        )  # fmt: skip
    trainees = [demo_official, *[o for o in pool[10:40] if o.pk != demo_official.pk][:17]]
    for official in trainees:
        classes.enrol_trainee(by=staff, training_class=ended, official=official)
    for n, official in enumerate(trainees):
        absent = n == len(trainees) - 1
        classes.record_result(
            by=staff, training_class=ended, official=official, days_attended=Decimal(0 if absent else 3 - (n % 7 == 3)),
            passed=not absent and n % 9 != 4, absent_without_reason=absent, speeches=1 if n % 6 == 1 else 0,
            reflections=1 if n % 3 == 0 else 0,
        )  # fmt: skip

    # Approved, by name, starting soon: the demo official is a trainee.
    soon = new_class(f"{year}-N02", f"{year}年冬季中青年干部培训班", ClassType.GROWTH,
                     today + timedelta(days=12), 5, 25, Dispatch.BY_NAME)  # fmt: skip
    for official in [demo_official, *pool[40:55]]:
        classes.enrol_trainee(by=staff, training_class=soon, official=official)
    # Approved quota class: seats for the demo unit and others; the demo unit has named some of theirs.
    quota = new_class(f"{year + 1}-Q01", f"{year + 1}年春季科级干部任职培训班", ClassType.APPOINTMENT,
                      today + timedelta(days=45), 7, 60, Dispatch.QUOTA)  # fmt: skip
    classes.file_class(by=staff, training_class=quota)
    classes.approve_class(by=staff, training_class=quota)
    other_units = list(Unit.objects.exclude(pk=demo_unit.pk).filter(officials__isnull=False).distinct()[:5])
    classes.set_quota(by=staff, training_class=quota, unit=demo_unit, seats=6)
    for unit in other_units:
        classes.set_quota(by=staff, training_class=quota, unit=unit, seats=8)
    for official in Official.objects.filter(unit=demo_unit).exclude(pk=demo_official.pk).order_by("staff_no")[:3]:
        classes.enrol_trainee(by=staff, training_class=quota, official=official)
    # Filed, waiting for approval; and a draft still being prepared.
    filed = new_class(f"{year + 1}-Q02", f"{year + 1}年乡村振兴专题研修班", ClassType.THEMATIC,
                      today + timedelta(days=40), 5, 50, Dispatch.QUOTA)  # fmt: skip
    classes.set_quota(by=staff, training_class=filed, unit=demo_unit, seats=5)
    classes.file_class(by=staff, training_class=filed)
    new_class(f"{year + 1}-Q03", f"{year + 1}年新任公务员初任培训班", ClassType.INITIAL,
              today + timedelta(days=75), 10, 80, Dispatch.QUOTA)  # fmt: skip

    # Lectures: one today (the demo official signed up, checks in with the code) and one ahead.
    today_lecture = lectures.create_lecture(
        by=staff, code=f"{year}-LT1", title="“菜单式”选学：因地制宜发展新质生产力", held_on=anchor, level="city",
        capacity=120, speaker="市委党校 王教授", place="市委党校报告厅",
    )  # fmt: skip
    ahead = lectures.create_lecture(
        by=staff, code=f"{year}-LT2", title="“菜单式”选学：数字政府建设的实践与思考", held_on=today + timedelta(days=9),
        level="city", capacity=80, speaker="市大数据局 李处长", place="市行政中心一楼会议室",
    )  # fmt: skip
    if anchor == today:  # a demo of a past year has no lecture today to sign up for
        for official in [demo_official, *pool[60:90]]:
            lectures.sign_up(by=staff, lecture=today_lecture, official=official)
    for official in pool[60:75]:
        lectures.check_in(by=staff, lecture=today_lecture, official=official)
    for official in pool[90:110]:
        lectures.sign_up(by=staff, lecture=ahead, official=official)

    # Online courses passed (and a few exams failed) this year.
    completions = 0
    for n, official in enumerate(pool[110:230]):
        course = online_courses[n % len(online_courses)]
        online.record_completion(
            by=staff, course=course, official=official, completed_on=anchor - timedelta(days=1 + n % 200),
            exam_passed=n % 8 != 5,
        )  # fmt: skip
        completions += 1
    online.record_completion(by=staff, course=online_courses[0], official=demo_official,
                             completed_on=anchor - timedelta(days=20), exam_passed=True)  # fmt: skip

    # Next year's plans: about two units in three have filed.
    units = list(Unit.objects.filter(officials__isnull=False).distinct().order_by("code"))
    filed_plans = 0
    for n, unit in enumerate(units):
        if n % 3 == 2 or unit == demo_unit:
            continue
        plans.file_unit_plan(
            by=staff, unit=unit, year=year + 1, planned_classes=1 + n % 4, expected_trainees=10 + 5 * (n % 6),
            content="围绕年度重点工作举办业务培训班，组织干部参加市级调训。",
        )  # fmt: skip
        filed_plans += 1
    return {"completions": completions + 1, "plans": filed_plans}


def clear_training() -> None:
    """Everything of the training organisation, before the demo city is deleted (--reset)."""
    from .models import ClassSession, FacultyMember, Module, OnlineCompletion, Quota, UnitPlan

    for model in (ClassRecord, LectureSignup, Lecture, OnlineCompletion, Enrolment, Quota, ClassSession,
                  TrainingClass, UnitPlan, FacultyMember, Module, Course):  # fmt: skip
        model.objects.all().delete()
