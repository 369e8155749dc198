"""The demo city's reserve-cadre pool (``manage.py load_demo_city`` runs it through ``demo_city_loaded``, after the
city, its records, the demo sign-ins and the training organisation exist).

Everything through the services as the training section and the demo unit's study administrator would enter it,
from one seeded generator: the same pool every time.

* The city's officials get dates of birth (the generator has none), plausible for their rank; a reserve's is set
  so that their age fits their level (under 41 for a section-chief reserve, under 36 for a deputy) but for the
  three the age flag is shown with: two over the limit now, one turning so within the 90-day look-ahead.
* About forty reserves in the four streams across the units (some in the demo unit, for its study administrator),
  decided in three batches one to three years before the demo's day, each batch one county decision.
* Each stream's yearly `growth` class (a class of the training organisation, entered after the fact) linked to its
  reserves; the written exam the year after the decision (dated, a few failed), the defense after a passed exam (one
  failed, one passed by a fraction: 60.005…, shown 60.01); rotations and secondments; talks with the contact
  leader; half-yearly reflection articles and yearly assessments (one basically competent), some not entered and
  so overdue; one reserve disqualified with a reason, one appointed.

The demo's day is today, or the last day of the demo year when that year is over; ages and flags are judged on
today, as the pages do.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from organisation.models import Official, Rank, Unit

from . import rules
from .models import Level, Reserve, Stream

SEED = 2013
POOL_SIZE = 40
DEMO_UNIT_RESERVES = 6
STREAMS = list(Stream.values)
# Birth years by rank, as ages on the demo's day (from, to): plausible for a city's cadres.
AGES_BY_RANK = {Rank.DIVISION: (46, 58), Rank.SECTION_CHIEF: (38, 55), Rank.DEPUTY_SECTION: (30, 48),
                Rank.OTHER: (24, 40)}  # fmt: skip
# A reserve's age on today by level (clear of the limit and of the look-ahead).
RESERVE_AGES = {Level.SECTION_CHIEF: (31, 39), Level.DEPUTY_SECTION: (27, 34)}
CLASS_TITLES = {
    Stream.PARTY_GOVERNMENT: "党政管理类后备干部成长培训班",
    Stream.ECONOMIC: "经济管理类后备干部成长培训班",
    Stream.TECHNICAL: "专业技术类后备干部成长培训班",
    Stream.POLITICAL_LEGAL: "政法类后备干部成长培训班",
}
COUNTY_LEADERS = ("县委副书记 周明", "县委常委、组织部部长 陈建国", "县委常委、常务副县长 沈立华", "副县长 吴海燕",
                  "县委常委、政法委书记 朱卫东", "县人大常委会副主任 钱国平")  # fmt: skip
PLACES = (
    ("rotation", "县发展和改革局综合科"),
    ("rotation", "县信访局接待科"),
    ("secondment", "市委组织部干部一处"),
    ("rotation", "县应急管理局"),
    ("secondment", "对口支援地区县政府办公室"),
    ("rotation", "镇党政办公室"),
)
TALK_NOTES = (
    "谈工作实绩和不足，提出下一步培养要求。",
    "了解思想动态，交流岗位锻炼体会。",
    "肯定轮岗期间表现，指出要加强统筹协调能力。",
)
ASSESSMENT_COMMENTS = {
    "excellent": "政治素质好，工作实绩突出，群众认可度高。",
    "competent": "能较好完成本职工作，综合表现良好。",
    "basically_competent": "工作主动性不足，部分任务完成质量不高，需加强锻炼。",
}
# A defense passed by a fraction: panel mean 56.5, vote score 1240/19 → 60.0052631…, shown 60.01.
CLOSE_DEFENSE = (["58", "55.5", "57", "54.5", "57.5"], {"excellent": 1, "competent": 9, "basically_competent": 7,
                                                        "incompetent": 2})  # fmt: skip
FAILED_DEFENSE = (["55", "58", "52.5", "56", "54"], {"excellent": 0, "competent": 3, "basically_competent": 8,
                                                      "incompetent": 6})  # fmt: skip


def loaded() -> bool:
    return Reserve.objects.exists()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _born_for_age(rng: random.Random, today: date, low: int, high: int) -> date:
    """A birth date giving an age from ``low`` to ``high`` full years on ``today``."""
    age = rng.randint(low, high)
    return _years_before(today, age + 1) + timedelta(days=rng.randint(1, 364))


def _born_turning(level: str, on: date) -> date:
    """A birth date that makes a reserve of ``level`` too old exactly on ``on`` (the limit's birthday)."""
    if on.month == 2 and on.day == 29:
        on -= timedelta(days=1)
    return _years_before(on, rules.AGE_LIMITS[level])


def _reflection_pdf(title: str) -> SimpleUploadedFile:
    """A one-page PDF standing for the article (checked by parsing like any upload)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile("reflection.pdf", out.getvalue(), content_type="application/pdf")


def _birth_dates(rng: random.Random, today: date) -> int:
    """Every official without a date of birth gets one plausible for their rank (the generator gives none)."""
    officials = list(Official.objects.filter(birth_date__isnull=True).order_by("staff_no").only("pk", "rank"))
    for official in officials:
        low, high = AGES_BY_RANK.get(official.rank, AGES_BY_RANK[Rank.OTHER])
        official.birth_date = _born_for_age(rng, today, low, high)
    Official.objects.bulk_update(officials, ["birth_date"], batch_size=2000)
    return len(officials)


def _candidates(demo_unit: Unit, today: date) -> list[tuple[Official, str]]:
    """Who is put in the pool, with their level: deputy section chiefs as section-chief reserves, officials below
    (rank other) as deputies, the demo unit's first; not the demo sign-ins, nobody retiring."""
    people = (
        Official.objects.filter(user__isnull=True, rank__in=[Rank.DEPUTY_SECTION, Rank.OTHER])
        .exclude(retires_on__lte=today + timedelta(days=365 * 3))
        .select_related("unit")
        .order_by("staff_no")
    )
    own = [o for o in people if o.unit_id == demo_unit.pk][:DEMO_UNIT_RESERVES]
    others = [o for o in people if o.unit_id != demo_unit.pk]
    # Spread over the units: one of each unit in turn.
    by_unit: dict[int, list[Official]] = {}
    for official in others:
        by_unit.setdefault(official.unit_id, []).append(official)
    spread = []
    while len(spread) < POOL_SIZE and any(by_unit.values()):
        for unit_id in sorted(by_unit):
            if by_unit[unit_id]:
                spread.append(by_unit[unit_id].pop(0))
    chosen = (own + spread)[:POOL_SIZE]
    deputies = [o for o in chosen if o.rank == Rank.OTHER]
    # About two in five deputies: officials of rank other first, then deputy section chiefs lately promoted.
    wanted_deputies = len(chosen) * 2 // 5
    extra = [o for o in chosen if o.rank != Rank.OTHER][::-1][: max(0, wanted_deputies - len(deputies))]
    deputy_ids = {o.pk for o in deputies + extra}
    return [(o, Level.DEPUTY_SECTION if o.pk in deputy_ids else Level.SECTION_CHIEF) for o in chosen]


@transaction.atomic
def build_reserve_pool(*, year: int, progress=print) -> dict:
    """The pool for the demo year (once: does nothing when reserves exist)."""
    from courses.models import ClassType, Dispatch
    from courses.services import classes
    from organisation.demo import DEMO_ORG_STAFF, DEMO_UNIT_ADMIN

    from .services import reserves as services

    if loaded():
        return {}
    User = get_user_model()
    staff = User.objects.get(username=DEMO_ORG_STAFF)
    unit_admin = User.objects.get(username=DEMO_UNIT_ADMIN)
    demo_unit = Unit.objects.get(study_admins__user=unit_admin)
    today = timezone.localdate()
    anchor = min(today, date(year, 12, 31))  # the demo's day: what has happened is dated up to it
    rng = random.Random(SEED)
    born = _birth_dates(rng, today)

    people = _candidates(demo_unit, today)
    if not people:
        progress("reserve pool: no officials to put in it")
        return {"reserves": 0}
    # Three county decisions, one to three years before the demo's day.
    batches = [(k, date(anchor.year - k, anchor.month, 1)) for k in (3, 2, 1)]
    organiser = Unit.objects.filter(name="市委组织部").first() or demo_unit

    # The flagged by age: two over the limit now (a section-chief reserve 100 days ago, a deputy 200 days ago), one
    # section-chief reserve turning so in 45 days.
    section_chiefs = [n for n, (_o, level) in enumerate(people) if level == Level.SECTION_CHIEF]
    deputies = [n for n, (_o, level) in enumerate(people) if level == Level.DEPUTY_SECTION]
    age_flagged = {}
    if section_chiefs:
        age_flagged[section_chiefs[1 % len(section_chiefs)]] = today - timedelta(days=100)
        age_flagged[section_chiefs[-2 % len(section_chiefs)]] = today + timedelta(days=45)
    if deputies:
        age_flagged[deputies[0]] = today - timedelta(days=200)

    reserves: list[Reserve] = []
    for n, (official, level) in enumerate(people):
        if n in age_flagged:
            birth = _born_turning(level, age_flagged[n])
        else:
            birth = _born_for_age(rng, today, *RESERVE_AGES[level])
        Official.objects.filter(pk=official.pk).update(birth_date=birth)
        official.birth_date = birth
        k, decided_on = batches[n % 3]
        number = 10 + k * 7
        reserve = services.add_reserve(
            by=staff, official=official, level=level, stream=STREAMS[n % 4], decided_on=decided_on,
            decision_document=f"县委组〔{decided_on.year}〕{number}号",
            contact_leader=rng.choice(COUNTY_LEADERS) if level == Level.SECTION_CHIEF
            else f"{official.unit.name}主要负责人",
        )  # fmt: skip
        reserves.append(reserve)

    # Each stream's yearly growth class (September, five days), entered after the fact once it has ended.
    first_year = min(r.decided_on.year for r in reserves)
    trained = 0
    for stream in STREAMS:
        members = [r for r in reserves if r.stream == stream]
        for class_year in range(first_year, anchor.year + 1):
            starts = date(class_year, 9, 15)
            ends = starts + timedelta(days=4)
            attending = [r for r in members if r.decided_on <= starts]
            if ends > anchor or not attending:
                continue
            growth = classes.create_class(
                by=staff, code=f"{class_year}-R{STREAMS.index(stream) + 1}",
                title=f"{class_year}年{CLASS_TITLES[stream]}", organiser=organiser, class_type=ClassType.GROWTH,
                starts_on=starts, ends_on=ends, days=Decimal(5), capacity=max(len(attending), 1),
                dispatch=Dispatch.BY_NAME, recorded_after=True,
                filing_note="学员：本序列在库后备干部；内容：理论学习、能力提升、现场教学。",
            )  # fmt: skip
            for reserve in attending:
                services.link_training(by=staff, reserve=reserve, year=class_year, training_class=growth)
                trained += 1

    # Exams the year after the decision, after the September class; the defense ten days after a passed exam (both
    # dated up to the demo's day: the exam never after the defense).
    failed_exams, defenses = [], 0
    close_at, failed_defense_at = 5, 9  # the reserves (by position) of the close and the failed defense
    for n, reserve in enumerate(reserves):
        exam_year = min(reserve.decided_on.year + 1, anchor.year)
        fail = n % 10 == 3
        score = Decimal(rng.randint(96, 118)) / 2 if fail else Decimal(rng.randint(130, 190)) / 2
        services.record_exam(by=staff, reserve=reserve, year=exam_year, score=score,
                             held_on=min(date(exam_year, 10, 10), anchor))  # fmt: skip
        if fail:
            failed_exams.append(reserve)
            continue
        if n == close_at:
            panel, votes = CLOSE_DEFENSE
        elif n == failed_defense_at:
            panel, votes = FAILED_DEFENSE
        else:
            panel = [str(Decimal(rng.randint(140, 186)) / 2) for _ in range(rng.choice((5, 7)))]
            voters = rng.randint(15, 20)
            # A good candidate: a few basically-competent and incompetent votes at most (the panel gives 70+).
            incompetent, basically = rng.randint(0, 2), rng.randint(0, 4)
            excellent = rng.randint(3, voters - incompetent - basically)
            votes = {"excellent": excellent, "competent": voters - incompetent - basically - excellent,
                     "basically_competent": basically, "incompetent": incompetent}  # fmt: skip
        services.record_defense(by=staff, reserve=reserve, year=exam_year, panel=panel, votes=votes,
                                held_on=min(date(exam_year, 10, 20), anchor))  # fmt: skip
        defenses += 1

    # Practice: about one in three rotated or seconded, four months after the decision (some still there).
    practices = 0
    for n, reserve in enumerate(reserves):
        if n % 3 != 1:
            continue
        kind, place = PLACES[n % len(PLACES)]
        starts = min(reserve.decided_on + timedelta(days=120), anchor)
        ends = starts + timedelta(days=182) if n % 2 else None
        services.add_practice(by=staff, reserve=reserve, kind=kind, place=place, starts_on=starts,
                              ends_on=ends if ends is None or ends <= anchor else None)  # fmt: skip
        practices += 1

    # Follow-up: talks, reflections per half year and yearly assessments; the demo unit enters its own.
    talks = reflections = assessments = 0
    basically_at = 13  # the reserve (by position) appraised basically competent
    for n, reserve in enumerate(reserves):
        own = reserve.official.unit_id == demo_unit.pk
        by = unit_admin if own else staff
        for t in range(1 + n % 2):
            held_on = min(reserve.decided_on + timedelta(days=60 + 200 * t), anchor)
            services.add_talk(by=by, reserve=reserve, held_on=held_on, leader=reserve.contact_leader,
                              note=TALK_NOTES[(n + t) % len(TALK_NOTES)])  # fmt: skip
            talks += 1
        due = [(period, due_on) for period, due_on in rules.periods_due(reserve.decided_on, anchor) if due_on < anchor]
        # Every fifth reserve has not sent the last half year's article: overdue.
        if n % 5 == 2 and due:
            due = due[:-1]
        for period, _due_on in due:
            title = f"{period[:4]}年{'上' if period.endswith('H1') else '下'}半年思想工作心得"
            upload = _reflection_pdf(title) if own else None
            services.add_reflection(by=by, reserve=reserve, period=period, title=title, upload=upload)
            reflections += 1
        years = [y for y in range(reserve.decided_on.year, anchor.year + 1) if date(y, 12, 25) < anchor]
        # Every seventh reserve's unit has not entered the last year's assessment: overdue.
        if n % 7 == 4 and years:
            years = years[:-1]
        for y in years:
            result = "basically_competent" if n == basically_at and y == years[-1] else (
                "excellent" if rng.random() < 0.3 else "competent")  # fmt: skip
            services.record_assessment(by=by, reserve=reserve, year=y, result=result,
                                       comment=ASSESSMENT_COMMENTS[result])  # fmt: skip
            assessments += 1

    # Leaving the pool: one disqualified (an exam failed; the flagged others are left for staff to confirm), one
    # appointed (of the first batch, defense passed).
    disqualified = appointed = None
    shown = {reserves[n].pk for n in [*age_flagged, close_at, failed_defense_at, basically_at] if n < len(reserves)}
    leaving = [r for r in failed_exams if r.pk not in shown]
    if len(failed_exams) > 1 and leaving:
        disqualified = services.disqualify(
            by=staff, reserve=leaving[-1], reason="refused_or_failed",
            note="笔试成绩未达到60分，经县委组织部部务会研究，取消后备干部资格。", on=anchor,
        )  # fmt: skip
    shown |= {r.pk for r in failed_exams}
    for reserve in reserves:
        if reserve.pk in shown or reserve.official.unit_id == demo_unit.pk or reserve.decided_on != batches[0][1]:
            continue
        if reserve.defenses.filter(passed=True).exists():
            appointed = services.appoint(by=staff, reserve=reserve, on=anchor)
            break
    summary = {"reserves": len(reserves), "birth_dates": born, "trainings": trained, "defenses": defenses,
               "failed_exams": len(failed_exams), "practices": practices, "talks": talks, "reflections": reflections,
               "assessments": assessments, "disqualified": int(disqualified is not None),
               "appointed": int(appointed is not None)}  # fmt: skip
    progress(
        f"reserve pool: {len(reserves)} reserves in {len(STREAMS)} streams ({trained} trainings, {defenses} defenses, "
        f"{len(failed_exams)} exams failed, {practices} rotations, {reflections} reflections, {assessments} "
        f"assessments; one disqualified, one appointed); {born} officials given dates of birth"
    )
    return summary


def clear_reserve_pool() -> None:
    """Every reserve and what hangs on them (before the demo city is deleted: --reset)."""
    Reserve.objects.all().delete()


def build_demo_pool(sender, *, year: int, progress, **kwargs) -> None:
    build_reserve_pool(year=year, progress=progress)


def clear_demo_pool(sender, **kwargs) -> None:
    clear_reserve_pool()
