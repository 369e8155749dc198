"""A deterministic demo city: units, officials, a year of activity records, exemptions and vetoes.

``build_city`` fills an empty database with a plausible Kunshan-like city for the demo (``manage.py
load_demo_city``) and for the benchmarks in ``bench/``. Everything comes from one seeded ``random.Random``, so
the same arguments on the same day give the same city (timestamps aside). Rows are written in bulk: ``COPY`` for
the activity records on PostgreSQL, ``bulk_create`` otherwise; no per-row ``save()`` and no per-row services, so
no score is marked stale: run a whole-year recompute afterwards (the command does).

What the city looks like (RULES.md §1):

* a few districts, the towns under them and the city departments (``D01``, ``T0101``, ``B001``);
* officials ``KS000001``…, mostly section level, most included long ago; about 3 % included during the year
  (months spread over the year, so some are prorated and some exempt ``new_short``) and about 1 % retiring;
* for the assessment year, records of every kind of the ``kunshan-2020`` table dated from 1 January to the
  earlier of 31 December and today: training classes from a city class plan, "menu" lectures from the city's
  lecture calendar, online hours, each unit's central-group sessions (a ``GroupStudySession`` row each, one
  record per attendee linked to it; about one unit in four falls short of the 12 a year), reflections,
  papers, teaching, a few secondments (some of 2 months, which score 0) and a few discretionary points;
  most records approved, recent declarations still submitted, a few rejected with a reason;
* each official has a diligence and sometimes a planned weakness (menu line, online line, low total), so the
  grades spread as in real life: most pass or good, some excellent, roughly one in eight failing;
* about 1 % recorded exemptions (every reason code) and 0.5 % recorded vetoes (both reasons);
* for the year before, each official's year as imported from the previous system (one summary record per
  kind), with weak officials often weak both years, so the two-year ``political_subhealth`` flag appears;
* ``build_baoji_years`` (RULES.md §2), run by the command after ``build_city``: the three years before the year
  before (``baoji_years_for``) under baoji-2009, each with Baoji-kind records (trainings, online courses with their
  credits and hours, degree study, articles, awards, books), a few exemptions and vetoes: about a quarter fall
  short in the scheme's first year, fewer later as credits above 60 carry over; the five-year cycle shows. Some
  records of both policies carry entered study hours (RULES.md §3).
"""

from __future__ import annotations

import io
import math
import random
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from credits.rules import get_policy

from .models import Official, Rank, Unit, UnitKind

DEMO_PASSWORD = "demo-password"
DEMO_ORG_STAFF = "demo_orgstaff"
DEMO_UNIT_ADMIN = "demo_unitadmin"
DEMO_OFFICIAL = "demo_official"
FIRST_STAFF_NO = "KS000001"

# --- names ---------------------------------------------------------------------------------------------------
DISTRICTS = ["昆山开发区", "昆山高新区", "花桥经济开发区", "旅游度假区", "淀山湖片区", "阳澄湖片区"]
TOWNS = [
    "玉山镇", "巴城镇", "周市镇", "陆家镇", "张浦镇", "千灯镇", "淀山湖镇", "周庄镇", "锦溪镇", "花桥镇",
    "亭林街道", "震川街道", "东城街道", "青阳街道", "朝阳街道", "蓬朗街道",
]  # fmt: skip
DEPARTMENTS = [
    "市委办公室", "市政府办公室", "市纪委监委", "市委组织部", "市委宣传部", "市委统战部", "市委政法委",
    "市委党校", "市发展和改革委员会", "市教育局", "市科学技术局", "市工业和信息化局", "市公安局", "市民政局",
    "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局", "市生态环境局", "市住房和城乡建设局",
    "市交通运输局", "市水务局", "市农业农村局", "市商务局", "市文体广电和旅游局", "市卫生健康委员会",
    "市退役军人事务局", "市应急管理局", "市审计局", "市市场监督管理局", "市统计局", "市医疗保障局",
    "市城市管理局", "市行政审批局", "市信访局", "市机关事务管理局", "市数据局", "市档案馆", "市融媒体中心",
    "市总工会", "团市委", "市妇联", "市科协", "市残联", "市工商联", "市税务局", "市消防救援大队",
]  # fmt: skip
ORDINALS = "一二三四五六七八九十"
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红燕建国志宏文斌宇浩凯鹏辉峰晨阳雪梅琳晓东海波亮俊"
    "健云飞鑫婷倩颖慧佳欣怡嘉轩睿思远博涵毅诚立新永春林清振德荣彬卫忠健松雯蕾菁琦瑶逸昊哲然宁晗"
)
TOPICS = [
    "习近平新时代中国特色社会主义思想专题辅导", "因地制宜发展新质生产力", "数字政府建设的实践与思考",
    "基层社会治理创新", "防范化解重大风险", "法治政府建设与依法行政", "长三角一体化高质量发展",
    "乡村振兴战略的昆山实践", "持续优化营商环境", "生态文明建设与绿色发展", "应急管理与安全生产",
    "意识形态工作责任制", "党史学习教育专题", "舆情应对与媒体沟通", "人工智能赋能政务服务",
    "预算绩效管理", "城市更新与规划建设", "文化强市建设", "新时代统一战线工作", "廉洁文化建设与警示教育",
    "产业链招商与项目建设", "民生实事项目管理", "共同富裕的实践路径", "台资企业服务与两岸融合发展",
]  # fmt: skip
CLASSES = [
    "中青年干部培训班", "科级干部任职培训班", "新任科级干部培训班", "乡村振兴专题培训班", "数字经济专题研修班",
    "招商引资能力提升班", "基层治理专题培训班", "安全生产专题培训班", "党纪学习教育专题读书班",
    "营商环境优化专题班", "应急管理能力提升班", "城市更新专题研修班", "生态环境保护专题班",
    "赴浙江大学城市治理专题研修班", "赴复旦大学产业创新专题培训班", "市委党校春季主体班", "市委党校秋季主体班",
    "统战干部专题培训班", "信访工作专题培训班", "领导干部法治专题培训班",
]  # fmt: skip
BOOKS = ["《习近平新时代中国特色社会主义思想学习纲要》", "《中国共产党简史》", "《论党的自我革命》",
         "《习近平谈治国理政》", "《党的二十大报告辅导读本》"]  # fmt: skip
SECONDMENT_PLACES = ["新疆阿图什市", "贵州铜仁市碧江区", "市重大项目指挥部", "省委巡视组", "市乡村振兴工作队"]
DISCRETIONARY_NOTES = [
    "参加省委党校专题研讨并作交流发言", "获评市级优秀调研成果", "参加长三角干部能力提升论坛", "市级理论征文获奖",
    "参与编写市情教材", "参加省级专题培训（外地调训）",
]  # fmt: skip
REJECT_REASONS = [
    "证明材料不全，请补充结业证书后重新申报", "与已登记记录重复", "该培训班未经市委组织部认定",
    "心得字数不足1000字", "日期与培训班实际举办时间不符", "该讲座不属于“菜单式”选学范围",
]  # fmt: skip

# --- kinds: the category each record carries (discretionary: chosen per record) ---------------------------------
CATEGORY = {
    "class_day": "offjob", "class_speech": "offjob", "class_reflection": "offjob", "secondment_month": "offjob",
    "menu_city_lecture": "menu", "menu_other_lecture": "menu", "online_hour": "online", "xuexi_qiangguo": "online",
    "central_group_speaker": "group_study", "central_group_listener": "group_study",
    "superior_central_group": "group_study", "book_reflection": "group_study", "research_report": "self_study",
    "study_paper": "self_study", "teaching_topic": "self_study", "teaching_faculty_session": "self_study",
}  # fmt: skip
CATEGORIES = ("offjob", "menu", "online", "group_study", "self_study")
DECLARABLE = frozenset(
    {"class_speech", "class_reflection", "study_paper", "research_report", "teaching_topic", "teaching_faculty_session"}
)
GROUP_KINDS = frozenset({"central_group_speaker", "central_group_listener", "book_reflection"})
SESSION_KINDS = frozenset({"central_group_speaker", "central_group_listener"})  # records of a unit's session
# About one unit in four holds fewer central-group sessions than the 12 required (RULES §1.8): 7 to 11.
SHORT_SESSION_UNIT_EVERY = 4
SHORT_SESSION_COUNTS = (7, 8, 9, 10, 11)
CLASS_DAYS = (1, 2, 2, 3, 3, 3, 5, 5, 7)

# Planned weaknesses: (mode, probability). The rest of the fails come from vetoes and from chance.
FAILURE_MODES = (("menu", 0.04), ("online", 0.03), ("low", 0.035))
CHRONIC = 0.25  # chance that a weak official had the same weakness the year before

# A row of ``credits_activityrecord`` as the generator makes it:
# (official id, kind, category, quantity, points or None, class passed, day index, note, source, status, reason)
# and optionally a twelfth item, the study hours entered on the record (None or absent: the kind's default).
Row = tuple

RECORD_COLUMNS = (
    "official_id", "kind", "category", "quantity", "points", "class_passed", "occurred_on", "note", "evidence",
    "source", "status", "reject_reason", "created_by_id", "reviewed_by_id", "reviewed_at", "created_at",
    "updated_at", "session_id", "hours",
)  # fmt: skip
NULL = "\\N"  # COPY's text format
RECORD_BATCH = 200_000  # rows per COPY / bulk_create round
OFFICIAL_BATCH = 5_000


@dataclass(slots=True)
class Person:
    """One official of the city being generated, with the plan for their records."""

    index: int
    staff_no: str
    name: str
    unit: int  # index into the unit list
    rank: str
    d: float  # diligence, 0..1
    mode: str | None = None  # planned weakness this year: "menu", "online", "low"
    prev_mode: str | None = None
    included_on: date | None = None
    retires_on: date | None = None
    activity: float = 1.0  # share of a normal year's activity (long sick leave: about a third)
    secondment: int | None = None  # months
    exemption: str | None = None
    exemption_note: str = ""
    vetoes: list[tuple[str, str]] = field(default_factory=list)
    pk: int = 0


@dataclass(slots=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: int | None  # index of the parent unit
    weight: float
    pk: int = 0


# ---------------------------------------------------------------------------------------------------------------
# The directory


def _unit_specs(rng: random.Random, count: int) -> list[UnitSpec]:
    count = max(1, count)
    n_districts = 1 if count < 3 else min(len(DISTRICTS), max(1, round(count * 0.1)))
    n_towns = 0 if count < 2 else max(1, round(count * 0.3))
    n_departments = max(0, count - n_districts - n_towns)
    if count >= 3 and n_departments == 0:
        n_towns -= 1
        n_departments = 1
    units = [
        UnitSpec(f"D{i + 1:02d}", DISTRICTS[i], UnitKind.DISTRICT, None, rng.uniform(0.4, 0.8))
        for i in range(n_districts)
    ]
    per_district = Counter()
    for i in range(n_towns):
        district = i % n_districts
        per_district[district] += 1
        name = TOWNS[i] if i < len(TOWNS) else f"{TOWNS[i % len(TOWNS)]}第{i // len(TOWNS) + 1}片区"
        units.append(
            UnitSpec(
                f"T{district + 1:02d}{per_district[district]:02d}", name, UnitKind.TOWN, district,
                rng.uniform(0.8, 1.8),
            )
        )  # fmt: skip
    for i in range(n_departments):
        base, round_ = DEPARTMENTS[i % len(DEPARTMENTS)], i // len(DEPARTMENTS)
        name = base if round_ == 0 else f"{base}第{_ordinal(round_ + 1)}分局"
        units.append(UnitSpec(f"B{i + 1:03d}", name, UnitKind.DEPARTMENT, None, rng.uniform(0.5, 1.6)))
    return units


def _ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= 10 else str(n)


def _name(rng: random.Random) -> str:
    # Common surnames first: a falling weight gives 王李张刘陈 their real-life lead.
    surname = SURNAMES[min(int(rng.expovariate(1 / 22)), len(SURNAMES) - 1)]
    given = rng.choice(GIVEN) if rng.random() < 0.3 else rng.choice(GIVEN) + rng.choice(GIVEN)
    return surname + given


def _rank(rng: random.Random) -> str:
    x = rng.random()
    if x < 0.08:
        return Rank.DIVISION
    if x < 0.50:
        return Rank.SECTION_CHIEF
    if x < 0.97:
        return Rank.DEPUTY_SECTION
    return Rank.OTHER


def _weakness(rng: random.Random) -> str | None:
    x = rng.random()
    for mode, p in FAILURE_MODES:
        if x < p:
            return mode
        x -= p
    return None


def _random_day(rng: random.Random, year: int, last: date, first_month: int = 1, last_month: int = 12) -> date:
    last_month = min(last_month, last.month) if last.year == year else last_month
    first_month = min(first_month, last_month)
    month = rng.randint(first_month, last_month)
    day = rng.randint(1, 28)
    return min(date(year, month, day), last)


def _people(rng: random.Random, count: int, units: list[UnitSpec], year: int, last: date) -> list[Person]:
    """The officials, with the special cases (joiners, retirees, exemptions, vetoes) spread among them."""
    # Every unit gets somebody first, then the rest by weight.
    unit_of = list(range(len(units)))[:count]
    unit_of += rng.choices(range(len(units)), weights=[u.weight for u in units], k=count - len(unit_of))
    people = []
    for i in range(count):
        d = rng.betavariate(2.6, 1.9)
        included_on = None
        if rng.random() < 0.15:
            included_on = date(year - rng.randint(2, 15), rng.randint(1, 12), rng.randint(1, 28))
        people.append(
            Person(
                index=i, staff_no=f"KS{i + 1:06d}", name=_name(rng), unit=unit_of[i], rank=_rank(rng), d=d,
                mode=_weakness(rng), included_on=included_on,
            )
        )  # fmt: skip
    for p in people:
        p.prev_mode = p.mode if p.mode and rng.random() < CHRONIC else _weakness(rng)

    small = count < 20  # a tiny city gets no guaranteed special cases
    order = list(range(count))
    rng.shuffle(order)
    taken = 0

    def take(n: int) -> list[Person]:
        nonlocal taken
        chosen = [people[i] for i in order[taken : taken + n]]
        taken += len(chosen)
        return chosen

    def share(p: float, minimum: int) -> int:
        return max(round(count * p), 0 if small else minimum)

    # Included during the year (~3 %): months spread 1..12; m <= 6 are prorated, m >= 7 exempt new_short.
    for k, p in enumerate(take(share(0.03, 2))):
        if k == 0:
            month_range = (1, 6)
        elif k == 1:
            month_range = (7, 12)
        else:
            month_range = (1, 12)
        p.included_on = _random_day(rng, year, last, *month_range)
        p.mode = None if p.mode == "low" else p.mode
    # Retiring during the year (~1 %).
    for p in take(share(0.01, 1)):
        p.retires_on = _random_day(rng, year, date(year, 12, 31))
    # Recorded exemptions (~1 %), every reason at least once.
    reasons = ["sick_leave", "retiring", "new_short", "secondment_long", "other"]
    exempt = take(share(0.01, len(reasons)))
    for k, p in enumerate(exempt):
        reason = reasons[k] if k < len(reasons) else rng.choices(reasons, weights=[35, 15, 10, 20, 20])[0]
        p.exemption = reason
        if reason == "sick_leave":
            p.activity = 0.35
            p.exemption_note = "病假累计超过6个月（附医院证明）"
        elif reason == "retiring":
            p.retires_on = _random_day(rng, year, date(year, 12, 31))
            p.exemption_note = f"{p.retires_on.year}年{p.retires_on.month}月退休"
        elif reason == "new_short":
            p.included_on = _random_day(rng, year, last, 7, 12)
            p.exemption_note = f"{p.included_on.year}年{p.included_on.month}月新提任，考核期不足6个月"
        elif reason == "secondment_long":
            p.secondment = rng.randint(6, 11)
            p.exemption_note = f"市委组织部选派支援{rng.choice(SECONDMENT_PLACES[:2])}，{p.secondment}个月"
        else:
            p.exemption_note = "借调省委巡视组工作，经市委组织部研究认定免于考核"
    # Recorded vetoes (~0.5 %), both reasons.
    for k, p in enumerate(take(share(0.005, 2))):
        if k % 2 == 0:
            p.vetoes.append(("absent_from_dispatch", f"无故不参加{year}年秋季中青年干部培训班调训"))
        else:
            p.vetoes.append(("discipline", "培训期间多次无故缺课并在课堂处理私事，造成不良影响"))
    # Short secondments (~1 %): some of 2 months, which score 0.
    for k, p in enumerate(take(share(0.01, 2))):
        p.secondment = 2 if k % 3 == 0 else rng.randint(3, 5)
    # At least one official weak two years running, so the political_subhealth flag shows.
    for p in take(0 if small else 1):
        p.mode = p.prev_mode = "menu"
    return people


# ---------------------------------------------------------------------------------------------------------------
# The records


def _half(x: float) -> float:
    """Round to a multiple of 0.5, at least 0.5."""
    return max(0.5, round(x * 2) / 2)


def _qty(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.1f}"


# Study hours entered on some records (RULES §3: the entered hours, else the kind's default). Chosen from the row
# itself, not drawn, so the rest of the city stays as it was: about one class in four was shorter than 8 hours a
# day (its last day a half day), about one other unit's lecture in five lasted 2.5 hours instead of 3.
SHORT_CLASS_EVERY = 4
SHORT_CLASS_LAST_DAY_HOURS = 4
SHORT_LECTURE_EVERY = 5
SHORT_LECTURE_HOURS = "2.5"


def _class_hours(oid: int, day: int, days: int) -> str | None:
    if (oid + day) % SHORT_CLASS_EVERY:
        return None
    return str(8 * (days - 1) + SHORT_CLASS_LAST_DAY_HOURS)


def _lecture_hours(oid: int, day: int) -> str | None:
    return None if (oid + day) % SHORT_LECTURE_EVERY else SHORT_LECTURE_HOURS


class Calendar:
    """The year's day numbers, the city's class plan and lecture calendar, each unit's central-group sessions."""

    def __init__(self, rng: random.Random, year: int, today: date, units: list[UnitSpec]):
        self.year = year
        self.base = date(year - 1, 1, 1)
        end = date(year, 12, 31)
        if today < date(year, 1, 1):
            raise ValueError(f"The year {year} has not started yet (today is {today}).")
        self.last = min(end, today)
        self.first_day = self.day(date(year, 1, 1))
        self.last_day = self.day(self.last)
        self.today_day = self.day(today)
        n_days = (end - self.base).days + 40
        self.dates = [self.base + timedelta(days=i) for i in range(n_days)]
        self.iso = [d.isoformat() for d in self.dates]
        lo, hi = self.first_day, self.last_day
        spring = self.day(date(year, 3, 1))
        # Class plan: about 26 classes from March (January and February are busy with the Spring Festival).
        classes = []
        for i in range(26):
            days = rng.choice(CLASS_DAYS)
            latest = hi - days + 1
            start = rng.randint(min(spring, latest), latest) if latest >= lo else lo
            classes.append((start, days, f"{year}年{CLASSES[i % len(CLASSES)]}"))
        classes.sort()
        self.classes = classes
        self.class_days = [c[0] for c in classes]
        # The city training office's menu lectures (about 44) and other units' lectures and forums (about 90).
        city = sorted((rng.randint(min(spring, hi), hi), rng.choice(TOPICS)) for _ in range(44))
        self.city_lectures = [(d, f"市干教办“菜单式”选学：{t}") for d, t in city]
        self.city_days = [d for d, _ in self.city_lectures]
        hosts = DEPARTMENTS[:20]
        other = sorted((rng.randint(lo, hi), rng.choice(hosts), rng.choice(TOPICS)) for _ in range(90))
        self.other_lectures = [(d, f"{h}专题讲座：{t}") for d, h, t in other]
        self.other_days = [d for d, _ in self.other_lectures]
        # Each unit's party committee holds 12-16 central-group sessions a year (fewer so far in the current year).
        self.sessions: list[list[int]] = []
        months = self.last.month if self.last.year == year else 12
        for _unit in units:
            n = rng.randint(12, 16)
            days = sorted(
                self.day(_random_day(rng, year, self.last, 1 + (k * months) // n, 1 + (k * months) // n))
                for k in range(n)
            )
            self.sessions.append(days)
        # The sessions each unit actually held: the drawn days without repeats, thinned for the units that fall
        # short. Chosen without the generator, so every other draw (and the city) stays as it was.
        self.held: list[list[int]] = []
        self.session_topics: list[dict[int, str]] = []
        for i, days in enumerate(self.sessions):
            distinct = sorted(set(days))
            if i % SHORT_SESSION_UNIT_EVERY == 1:
                short = SHORT_SESSION_COUNTS[(i // SHORT_SESSION_UNIT_EVERY) % len(SHORT_SESSION_COUNTS)]
                keep = min(len(distinct), short)
                distinct = [distinct[(k * len(distinct)) // keep] for k in range(keep)]
            self.held.append(distinct)
            self.session_topics.append({day: TOPICS[(5 * i + k) % len(TOPICS)] for k, day in enumerate(distinct)})
        # Superior committees' central-group sessions that officials attend (列席).
        self.superior = sorted(rng.randint(lo, hi) for _ in range(10))
        self.xuexi_day = min(hi, self.day(date(year, 11, 10)))
        self.previous_day = self.day(date(year - 1, 12, 20))

    def day(self, d: date) -> int:
        return (d - self.base).days


def _window(items: list, days: list[int], lo: int, hi: int) -> list:
    return items[bisect_left(days, lo) : bisect_right(days, hi)]


class RecordMaker:
    """Makes the record rows of one official: a detailed year, or the previous year as imported summaries."""

    def __init__(self, rng: random.Random, calendar: Calendar, units: list[UnitSpec], records_per_official: int):
        self.rng = rng
        self.cal = calendar
        self.units = units
        self.target = records_per_official
        # In the year still running, the last weeks' declarations and unit entries may still wait for review.
        running = calendar.today_day <= calendar.day(date(calendar.year, 12, 31))
        self.pending_from = calendar.last_day - 40 if running else None

    # -- the plan: how much of each activity an official does -------------------------------------------------
    def plan(self, d: float, mode: str | None, frac: float, rank: str) -> dict:
        r = self.rng.random
        low = mode == "low"

        def scaled(x: float) -> int:
            x *= frac
            n = int(x)
            return n + (r() < x - n)

        plan = {}
        plan["classes"] = scaled(int(r() * (1 + 1.8 * d) + (0 if low else 0.4 + 0.3 * r())))
        if low:
            plan["classes"] = min(plan["classes"], 1)
        plan["reflection"] = 0.2 + 0.5 * d
        plan["speech"] = 0.04 + 0.15 * d
        required = math.ceil(4 * frac - 1e-9)
        if mode == "menu":
            if r() < 0.6:
                plan["city"], plan["other"] = max(0, required - 1 - int(r() * 2)), int(r() * 5)
            else:
                plan["city"], plan["other"] = required, 0
        else:
            plan["city"] = required + (0 if low else int(r() * (0.6 + 2.2 * d)))
            plan["other"] = (1 if low else 0) + scaled(int(r() * (1 + 2.6 * d)) + (r() < 0.9))
        if mode == "online":
            hours, xuexi = r() * 22 + 16, r() < 0.5
        elif low:
            hours, xuexi = 40 + r() * 4, True
        else:
            hours, xuexi = self.rng.gauss(48 + 22 * d, 7), r() < 0.85 + 0.12 * d
        plan["hours"] = _half(hours * frac) if hours > 0 else 0
        plan["xuexi"] = xuexi
        plan["attend"] = 0.25 if low else 0.4 + 0.5 * d
        plan["speaker"] = 0 if low else int(r() * (1 + 2.2 * d))
        plan["superior"] = scaled(int(r() * (1 + 1.6 * d)) + (rank == Rank.DIVISION))
        plan["books"] = 0 if low else scaled(int(r() * (1 + 2.4 * d)))
        plan["papers"] = 0 if low else scaled(int(r() * (1.2 + 3 * d)))
        plan["research"] = 0 if low else int(r() < 0.02 + 0.07 * d) + int(r() < 0.01)
        plan["topics"] = 0 if low or r() >= 0.03 + 0.05 * d else 1 + int(r() * 2)
        plan["faculty"] = 1 + int(r() * 4) if r() < 0.012 else 0
        plan["discretionary"] = (
            (self.rng.choice(CATEGORIES), _qty(1 + int(r() * 5) + (0.5 if r() < 0.2 else 0))) if r() < 0.04 else None
        )
        return plan

    # -- the assessment year, record by record ------------------------------------------------------------------
    def year_rows(self, p: Person) -> list[Row]:
        cal, rng = self.cal, self.rng
        r = rng.random
        lo, hi = cal.first_day, cal.last_day
        if p.included_on and p.included_on.year == cal.year:
            lo = cal.day(p.included_on) + 1
        if p.retires_on and p.retires_on.year == cal.year:
            hi = min(hi, cal.day(p.retires_on))
        if hi < lo:
            return []
        frac = (hi - lo + 1) / (cal.last_day - cal.first_day + 1)
        frac_activity = frac * p.activity
        plan = self.plan(p.d, p.mode, frac_activity, p.rank)
        oid = p.pk
        rows: list[Row] = []

        def add(
            kind: str,
            day: int,
            note: str,
            source: str,
            quantity: str = "1",
            passed: bool = True,
            hours: str | None = None,
        ) -> None:
            rows.append((oid, kind, CATEGORY[kind], quantity, None, passed, day, note, source, "approved", "", hours))

        def day_between(a: int, b: int) -> int:
            return rng.randint(a, b) if b > a else a

        # Off-job training: classes of the city plan within the window.
        classes = _window(cal.classes, cal.class_days, lo, hi)
        for start, days, name in rng.sample(classes, min(plan["classes"], len(classes))):
            source = "generated" if r() < 0.65 else ("imported" if r() < 0.55 else "entered")
            add("class_day", start, name, source, str(days), r() >= 0.04, _class_hours(oid, start, days))
            end = start + days - 1
            if r() < plan["reflection"] and end + 3 <= hi:
                add("class_reflection", day_between(end + 3, min(hi, end + 20)), f"{name}学习心得", "declared")
            if r() < plan["speech"]:
                add("class_speech", day_between(start, min(end, hi)), f"{name}交流发言", "declared")
        if p.secondment:
            place = SECONDMENT_PLACES[p.index % len(SECONDMENT_PLACES)]
            add("secondment_month", day_between(lo, hi), f"市委组织部选派：{place}", "entered", str(p.secondment))
        # Menu lectures from the calendars.
        city = _window(cal.city_lectures, cal.city_days, lo, hi)
        for day, note in rng.sample(city, min(plan["city"], len(city))):
            add("menu_city_lecture", day, note, "generated" if r() < 0.6 else "imported")
        other = _window(cal.other_lectures, cal.other_days, lo, hi)
        for day, note in rng.sample(other, min(plan["other"], len(other))):
            add("menu_other_lecture", day, note, "entered", hours=_lecture_hours(oid, day))
        # Central-group study: the unit's sessions, one record per session attended.
        sessions = [s for s in cal.sessions[p.unit] if lo <= s <= hi]
        attended = [s for s in sessions if r() < plan["attend"]]
        speaking = set(rng.sample(attended, min(plan["speaker"], len(attended))))
        topics = cal.session_topics[p.unit]  # only the sessions held (after the draws, so they stay the same)
        for day in dict.fromkeys(attended):
            if day in topics:
                kind = "central_group_speaker" if day in speaking else "central_group_listener"
                add(kind, day, topics[day], "entered")
        superior = [s for s in cal.superior if lo <= s <= hi]
        for day in rng.sample(superior, min(plan["superior"], len(superior))):
            add("superior_central_group", day, "列席上级党委理论学习中心组学习", "entered")
        for _ in range(plan["books"]):
            source = "entered" if r() < 0.6 else "declared"
            add("book_reflection", day_between(lo, hi), f"指定理论读物学习心得：{rng.choice(BOOKS)}", source)
        # Self-study.
        for _ in range(plan["papers"]):
            add("study_paper", day_between(lo, hi), f"自学笔记：{rng.choice(TOPICS)}", "declared")
        for _ in range(plan["research"]):
            add("research_report", day_between(lo, hi), f"调研报告获市主要领导批示：{rng.choice(TOPICS)}", "declared")
        for _ in range(plan["topics"]):
            add("teaching_topic", day_between(lo, hi), f"市委党校专题授课：{rng.choice(TOPICS)}", "declared")
        for _ in range(plan["faculty"]):
            add("teaching_faculty_session", day_between(lo, hi), f"市师资库授课：{rng.choice(TOPICS)}", "declared")
        if plan["discretionary"]:
            category, points = plan["discretionary"]
            note = f"{rng.choice(DISCRETIONARY_NOTES)}（酌情赋分）"
            rows.append((oid, "discretionary", category, "1", points, True, day_between(lo, hi), note, "entered",
                         "approved", ""))  # fmt: skip
        if plan["xuexi"] and cal.xuexi_day >= lo:
            add("xuexi_qiangguo", min(hi, cal.xuexi_day), f"{cal.year}年度“学习强国”学习平台积分核定", "imported")
        # Online hours: as many course completions as it takes to reach the official's share of rows.
        hours = plan["hours"]
        if hours:
            halves = int(hours * 2)
            wanted = round(self.target * (0.85 + 0.3 * r()) * frac_activity) - len(rows)
            n = max(1, min(halves, wanted))
            cuts = sorted(rng.sample(range(1, halves), n - 1)) if n > 1 else []
            previous = 0
            for cut in [*cuts, halves]:
                note = f"昆山干部在线学院：{rng.choice(TOPICS)}"
                add("online_hour", day_between(lo, hi), note, "imported", _qty((cut - previous) / 2))
                previous = cut
        # Recent declarations and unit entries still wait for review.
        if self.pending_from is not None:
            for i, row in enumerate(rows):
                if row[6] >= self.pending_from and (
                    (row[1] in DECLARABLE and r() < 0.5) or (row[1] in GROUP_KINDS and r() < 0.3)
                ):
                    rows[i] = row[:8] + ("declared" if row[1] in DECLARABLE else "entered", "submitted", "") + row[11:]
        # A few declarations were rejected, a few withdrawn by their declarer.
        if r() < 0.15:
            kind = rng.choice(("class_day", "class_reflection", "study_paper", "research_report", "class_speech"))
            quantity = str(rng.choice(CLASS_DAYS)) if kind == "class_day" else "1"
            note, reason = f"个人申报：{rng.choice(TOPICS)}", rng.choice(REJECT_REASONS)
            rows.append((oid, kind, CATEGORY[kind], quantity, None, True, day_between(lo, hi), note, "declared",
                         "rejected", reason))  # fmt: skip
        if r() < 0.03:
            rows.append((oid, "study_paper", "self_study", "1", None, True, day_between(lo, hi), "学习心得（草稿）",
                         "declared", "withdrawn", ""))  # fmt: skip
        return rows

    # -- the year before, as imported from the previous system: one summary record per kind --------------------
    def previous_rows(self, p: Person) -> list[Row]:
        rng = self.rng
        r = rng.random
        d = min(1.0, max(0.0, p.d + rng.gauss(0, 0.12)))
        plan = self.plan(d, p.prev_mode, 1.0, p.rank)
        day, oid = self.cal.previous_day, p.pk
        note = f"{self.cal.year - 1}年度学分汇总（原系统导入）"
        totals: Counter = Counter()
        failed_days = 0
        for _ in range(plan["classes"]):
            days = rng.choice(CLASS_DAYS)
            if r() < 0.04:
                failed_days += days
            else:
                totals["class_day"] += days
            totals["class_reflection"] += r() < plan["reflection"]
            totals["class_speech"] += r() < plan["speech"]
        totals["menu_city_lecture"] = plan["city"]
        totals["menu_other_lecture"] = plan["other"]
        totals["xuexi_qiangguo"] = int(plan["xuexi"])
        attended = sum(r() < plan["attend"] for _ in range(rng.randint(12, 16)))
        speaking = min(plan["speaker"], attended)
        totals["central_group_speaker"] = speaking
        totals["central_group_listener"] = attended - speaking
        for key, kind in (
            ("superior", "superior_central_group"), ("books", "book_reflection"), ("papers", "study_paper"),
            ("research", "research_report"), ("topics", "teaching_topic"), ("faculty", "teaching_faculty_session"),
        ):  # fmt: skip
            totals[kind] = plan[key]
        rows: list[Row] = [
            (oid, kind, CATEGORY[kind], str(n), None, True, day, note, "imported", "approved", "")
            for kind, n in totals.items()
            if n
        ]
        if plan["hours"]:
            rows.append((oid, "online_hour", "online", _qty(plan["hours"]), None, True, day, note, "imported",
                         "approved", ""))  # fmt: skip
        if failed_days:
            rows.append((oid, "class_day", "offjob", str(failed_days), None, False, day, note, "imported",
                         "approved", ""))  # fmt: skip
        if plan["discretionary"]:
            category, points = plan["discretionary"]
            rows.append((oid, "discretionary", category, "1", points, True, day, note, "imported", "approved", ""))
        return rows


# ---------------------------------------------------------------------------------------------------------------
# Writing


class RecordWriter:
    """Buffers record rows and writes them: COPY on PostgreSQL, bulk_create elsewhere."""

    LAGS = (0, 1, 1, 2, 3, 0, 5, 2, 7, 1, 4, 9, 0, 3, 6)

    def __init__(
        self,
        calendar: Calendar,
        *,
        use_copy: bool,
        audit: bool,
        now: datetime,
        sessions: dict[tuple[int, int], int] | None = None,
        unit_of: dict[int, int] | None = None,
    ):
        self.cal = calendar
        self.use_copy = use_copy
        self.audit = audit
        # Central-group records point to their unit's session of that day: (unit id, day) -> session id.
        self.sessions = sessions or {}
        self.unit_of = unit_of or {}
        self.buffer: list[Row] = []
        self.written = 0
        tz = timezone.get_current_timezone()
        now = timezone.localtime(now, tz)
        self.now = now
        self.now_day = calendar.day(now.date())
        # A created/reviewed timestamp per day: office hours, varying by day; today's is now.
        self.stamps = []
        for i, d in enumerate(calendar.dates):
            minutes = 8 * 60 + 30 + (i * 137) % 540
            stamp = datetime(d.year, d.month, d.day, minutes // 60, minutes % 60, tzinfo=tz)
            self.stamps.append(stamp if stamp < now else now)
        self.stamp_text = [s.isoformat() for s in self.stamps]
        self.decimals: dict[str, Decimal] = {}

    def add(self, rows: Iterable[Row]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= RECORD_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        before = None
        if self.use_copy:
            if self.audit:
                before = _max_record_id()
            self._copy(self.buffer)
        else:
            self._bulk_create(self.buffer)
        if before is not None:
            self._audit_since(before)
        self.written += len(self.buffer)
        self.buffer = []

    def _session(self, oid: int, kind: str, day: int) -> int | None:
        return self.sessions.get((self.unit_of.get(oid), day)) if kind in SESSION_KINDS else None

    def _copy(self, rows: list[Row]) -> None:
        iso, stamps = self.cal.iso, self.stamp_text
        lags, now_day = self.LAGS, self.now_day
        out = []
        for oid, kind, cat, q, points, passed, day, note, source, status, reason, *hours in rows:
            created = stamps[min(day + lags[(oid + day) % 15], now_day)]
            reviewed = created if status == "approved" or status == "rejected" else NULL
            session = self._session(oid, kind, day) or NULL
            out.append(
                f"{oid}\t{kind}\t{cat}\t{q}\t{points or NULL}\t{'t' if passed else 'f'}\t{iso[day]}\t{note}\t\t"
                f"{source}\t{status}\t{reason}\t{NULL}\t{NULL}\t{reviewed}\t{created}\t{created}\t{session}\t"
                f"{(hours and hours[0]) or NULL}\n"
            )
        data = io.StringIO("".join(out))
        with connection.cursor() as cursor:
            # Check the foreign keys row by row during the COPY rather than queueing millions of deferred checks
            # until the commit; then back to Django's default (its foreign keys are initially deferred).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.cursor.copy_expert(
                f"COPY credits_activityrecord ({', '.join(RECORD_COLUMNS)}) FROM STDIN", data, size=1 << 20
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _bulk_create(self, rows: list[Row]) -> None:
        from credits.models import ActivityRecord

        dates, stamps, decimals = self.cal.dates, self.stamps, self.decimals
        lags, now_day = self.LAGS, self.now_day
        objs = []
        for oid, kind, cat, q, points, passed, day, note, source, status, reason, *hours in rows:
            quantity = decimals.get(q) or decimals.setdefault(q, Decimal(q))
            entered = hours[0] if hours else None
            created = stamps[min(day + lags[(oid + day) % 15], now_day)]
            reviewed = created if status == "approved" or status == "rejected" else None
            objs.append(
                ActivityRecord(
                    official_id=oid, kind=kind, category=cat, quantity=quantity,
                    points=None if points is None else Decimal(points), class_passed=passed,
                    occurred_on=dates[day], note=note, source=source, status=status, reject_reason=reason,
                    reviewed_at=reviewed, session_id=self._session(oid, kind, day),
                    hours=None if entered is None else Decimal(entered),
                )
            )  # fmt: skip
        ActivityRecord.objects.bulk_create(objs, batch_size=2000)
        if self.audit:
            _log_created(objs)

    def _audit_since(self, before: int) -> None:
        from credits.models import ActivityRecord

        chunk = []
        for record in ActivityRecord.objects.filter(id__gt=before).order_by("id").iterator(chunk_size=5000):
            chunk.append(record)
            if len(chunk) >= 5000:
                _log_created(chunk)
                chunk = []
        _log_created(chunk)


def _today() -> date:
    """Today in the project's time zone or in UTC, whichever is earlier: no generated record is ever in the future."""
    return min(timezone.localdate(), timezone.now().date())


def _max_record_id() -> int:
    from credits.models import ActivityRecord

    return ActivityRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _log_created(objs: list) -> None:
    if objs:
        from audit.services import log_created

        log_created(actor=None, instances=objs, reason="演示数据生成")


# ---------------------------------------------------------------------------------------------------------------
# Years under baoji-2009 (RULES §2)

BAOJI_POLICY = "baoji-2009"
# The demo's years before the year before run under baoji-2009: Y-4, Y-3 and Y-2 (with Y the assessment year), so a
# carry chain of three years and the five-year cycle show; Y-1 and Y stay under kunshan-2020 (the default).
BAOJI_YEARS = 3
BAOJI_LAST_YEAR_BEFORE = 2
BAOJI_CLASSES = [
    "市委党校中青年干部培训班", "科级干部任职培训班", "乡村振兴专题研讨班", "干部综合能力提升进修班",
    "行业业务培训班", "本单位业务骨干培训班", "数字政府建设专题研讨班", "基层治理能力提升班", "市委党校春季主体班",
    "市委党校秋季主体班", "上级调训：省委党校专题班", "依法行政专题培训班",
]  # fmt: skip
BAOJI_CLASS_DAYS = (2, 3, 3, 4, 5, 5, 5, 7, 7, 10)  # a training of 2 days scores 0 (fewer than 3)
BAOJI_COURSE_POINTS = (5, 5, 8, 10, 10, 10, 12, 15, 15, 20)  # an online course's credits (5 to 20)
BAOJI_COURSE_HOURS_PER_POINT = 2  # a course's class hours (entered on its record): 2 a credit
BAOJI_DEGREES = (("degree_master", 6), ("degree_bachelor", 3), ("degree_doctorate", 1))  # (kind, weight)
BAOJI_DEGREE_SHARE = 0.04  # officials in part-time degree study at some point of the Baoji years
BAOJI_AWARDS = (("award_first", 1), ("award_second", 2), ("award_third", 3), ("award_honourable", 4))
BAOJI_BOOKS = (("book_sole", 1), ("book_coauthor", 3), ("book_contributor", 6))
BAOJI_UNIT_SPREAD = 0.08  # how much a unit's study culture moves its officials' diligence (a Gaussian's sigma)
BAOJI_EXEMPT_SHARE = 0.006  # recorded exemptions a Baoji year (sick leave, long secondment)
BAOJI_VETO_SHARE = 0.002  # recorded vetoes a Baoji year (absent without reason from dispatched training)
BAOJI_REJECT_REASONS = [
    "刊物不属于市级以上公开出版物，不予认定", "证明材料不全，请补充结业证书后重新申报", "与已登记记录重复",
    "获奖证书级别不符合认定范围", "网络课程考试未通过，不计学分",
]  # fmt: skip


def baoji_years_for(year: int, count: int = BAOJI_YEARS) -> list[int]:
    """The demo's years under baoji-2009 for the assessment year ``year``: the ``count`` years ending two before it."""
    last = year - BAOJI_LAST_YEAR_BEFORE
    return list(range(last - count + 1, last + 1))


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([kind for kind, _w in table], weights=[w for _kind, w in table])[0]


class DayRange:
    """Day numbers from ``first`` (day 0) to 40 days after ``last``: the part of a ``Calendar`` ``RecordWriter``
    reads (``dates``, ``iso``, ``day``)."""

    def __init__(self, first: date, last: date):
        self.base = first
        self.dates = [first + timedelta(days=i) for i in range((last - first).days + 41)]
        self.iso = [d.isoformat() for d in self.dates]

    def day(self, d: date) -> int:
        return (d - self.base).days


class BaojiMaker:
    """The records of one official's year under baoji-2009 (RULES §2.1), from their diligence ``d`` (0..1).

    A year holds a few trainings (one ``class_day`` record each: 2 to 15 days, a 2-day one scores 0, a few not
    passed, a few credited below the standard by the approver), a few online courses (``online_course``: the course's
    credits 5-20 as ``points`` and its hours entered), and now and then a year of degree study or a degree obtained,
    a published article, book or award. Everything is approved but a few rejected declarations: the years are past.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        policy = get_policy(BAOJI_POLICY)
        self.category = {kind: policy.category_of(kind) for kind in policy.kinds}

    def rows(self, *, oid: int, year: int, lo: int, hi: int, d: float, degree: tuple | None) -> list[Row]:
        rng = self.rng
        r = rng.random
        category = self.category
        rows: list[Row] = []

        def on(a: int, b: int) -> int:
            return rng.randint(a, b) if b > a else a

        def add(kind: str, day: int, note: str, source: str, quantity: str = "1", points: str | None = None,
                passed: bool = True, hours: str | None = None) -> None:  # fmt: skip
            rows.append((oid, kind, category[kind], quantity, points, passed, day, note, source, "approved", "", hours))

        for _ in range(1 + int(r() * (2 + 2.5 * d))):
            length = rng.choice(BAOJI_CLASS_DAYS)
            start = on(lo, max(lo, hi - length + 1))
            passed = r() >= 0.03
            points = None
            if passed and length >= 3 and r() < 0.05:
                points = str(5 * (length - 1))  # absent one day: the approver credits the days attended
            source = rng.choice(("entered", "imported", "declared"))
            add("class_day", start, f"{year}年{rng.choice(BAOJI_CLASSES)}", source, str(length), points, passed,
                _class_hours(oid, start, length))  # fmt: skip
        for _ in range(1 + int(r() * (2 + 5 * d))):
            value = rng.choice(BAOJI_COURSE_POINTS)
            add("online_course", on(lo, hi), f"干部网络学院：{rng.choice(TOPICS)}（考试合格）", "generated",
                points=str(value), hours=str(value * BAOJI_COURSE_HOURS_PER_POINT))  # fmt: skip
        if degree is not None:
            first, last, kind = degree
            if first <= year <= last:
                add("degree_study_year", on(lo, hi), f"在职学历教育（{year}学年）", "declared")
            if year == last:
                add(kind, on(lo, hi), "在职学历教育毕业，取得学位", "declared")
        if r() < 0.04 + 0.10 * d:
            kind = "article_sole" if r() < 0.35 else "article_coauthor"
            add(kind, on(lo, hi), f"在市级以上刊物发表：{rng.choice(TOPICS)}", "declared", str(1 + (r() < 0.15)))
        if r() < 0.02 + 0.05 * d:
            add(_weighted(rng, BAOJI_AWARDS), on(lo, hi), f"市级以上征文获奖：{rng.choice(TOPICS)}", "declared")
        if r() < 0.008:
            add(_weighted(rng, BAOJI_BOOKS), on(lo, hi), f"出版工作相关著作：{rng.choice(TOPICS)}", "declared")
        if r() < 0.04:
            kind = rng.choice(("article_sole", "award_third", "class_day", "online_course"))
            rows.append((
                oid, kind, category[kind], str(rng.choice(BAOJI_CLASS_DAYS)) if kind == "class_day" else "1",
                str(rng.choice(BAOJI_COURSE_POINTS)) if kind == "online_course" else None, True, on(lo, hi),
                f"个人申报：{rng.choice(TOPICS)}", "declared", "rejected", rng.choice(BAOJI_REJECT_REASONS), None,
            ))  # fmt: skip
        return rows


def build_baoji_years(
    *,
    years: Iterable[int],
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    audit: bool = True,
    today: date | None = None,
) -> dict:
    """Put ``years`` under baoji-2009 (``YearPolicy``) and write a year of Baoji-kind records for every official of
    the directory in each (up to today in the current year), plus a few recorded exemptions and vetoes. Returns a
    summary.

    Draws from its own generator (seeded from ``seed``), so the city ``build_city`` wrote stays the same. An
    official's diligence holds over the years (with some noise) and moves a little with their unit; officials
    included during a year have records from the month after, those retiring in it up to their last day. Scores are
    not computed: run ``compute_scores`` for the years in order (each reads the one before: carry-over, the cycle).
    """
    from credits.models import Exemption, Veto, YearPolicy

    years = sorted(set(years))
    if not years:
        return {"years": [], "records": 0, "exemptions": 0, "vetoes": 0}
    today = today or _today()
    if years[-1] > today.year:
        raise ValueError(f"The years under {BAOJI_POLICY} cannot be later than this year ({today.year}).")
    started = time.monotonic()
    say = progress or (lambda message: None)
    rng = random.Random(f"{BAOJI_POLICY}:{seed}")
    days = DayRange(date(years[0], 1, 1), date(years[-1], 12, 31))
    maker = BaojiMaker(rng)
    people = list(Official.objects.order_by("pk").values_list("pk", "unit_id", "included_on", "retires_on"))
    shift = {unit: rng.gauss(0, BAOJI_UNIT_SPREAD) for unit in sorted({unit for _pk, unit, *_rest in people})}
    diligence = {pk: min(1.0, max(0.0, rng.betavariate(2.6, 1.9) + shift[unit])) for pk, unit, *_rest in people}
    degrees = {}
    for pk, *_rest in people:
        if rng.random() < BAOJI_DEGREE_SHARE:
            first = rng.randint(years[0] - 2, years[-1])
            degrees[pk] = (first, first + rng.randint(1, 2), _weighted(rng, BAOJI_DEGREES))

    summary = {"years": years, "records": 0, "exemptions": 0, "vetoes": 0}
    with transaction.atomic():
        for year in years:
            YearPolicy.objects.update_or_create(year=year, defaults={"policy": BAOJI_POLICY})
        writer = RecordWriter(days, use_copy=connection.vendor == "postgresql", audit=audit, now=timezone.now())
        exemptions, vetoes = [], []
        seen: Counter = Counter()
        recorded = set(Exemption.objects.filter(year__in=years).values_list("official_id", "year"))
        recorded |= set(Veto.objects.filter(year__in=years).values_list("official_id", "year"))
        for k, year in enumerate(years):
            start, end = date(year, 1, 1), date(year, 12, 31)
            window = {}
            for pk, _unit, included_on, retires_on in people:
                if (included_on and included_on > end) or (retires_on and retires_on < start):
                    continue  # not city-managed in that year
                lo = days.day(max(start, included_on + timedelta(days=1) if included_on else start))
                hi = days.day(min(end, today, retires_on) if retires_on else min(end, today))
                if hi >= lo:
                    window[pk] = (lo, hi)
            # Recorded exemptions and vetoes; a city of 20 or more gets one of each after the first year, so an
            # exempt year passes its carry on and a vetoed year fails whatever its credits.
            least = 1 if k and len(window) >= 20 else 0
            n_exempt = max(least, round(len(window) * BAOJI_EXEMPT_SHARE))
            n_veto = max(least, round(len(window) * BAOJI_VETO_SHARE))
            free = sorted(pk for pk in window if (pk, year) not in recorded)  # not already decided for the year
            chosen = rng.sample(free, min(len(free), n_exempt + n_veto))
            exempt, vetoed = set(chosen[:n_exempt]), set(chosen[n_exempt:])
            for pk, (lo, hi) in window.items():
                d = min(1.0, max(0.0, diligence[pk] + rng.gauss(0, 0.1)))
                if pk in exempt:
                    if len(exemptions) % 2 == 0:
                        note, d = f"{year}年病假累计超过6个月（附医院证明）", d * 0.3
                        reason = "sick_leave"
                    else:
                        place = rng.choice(SECONDMENT_PLACES[:2])
                        reason, note = "secondment_long", f"{year}年市委组织部选派支援{place}"
                    exemptions.append(Exemption(official_id=pk, year=year, reason=reason, note=note))
                elif pk in vetoed:
                    vetoes.append(Veto(official_id=pk, year=year, reason="absent_from_dispatch",
                                       note=f"无故不参加{year}年上级调训"))  # fmt: skip
                rows = maker.rows(oid=pk, year=year, lo=lo, hi=hi, d=d, degree=degrees.get(pk))
                seen.update(row[1] for row in rows if row[9] == "approved")
                summary["records"] += len(rows)
                writer.add(rows)
            say(f"{year} ({BAOJI_POLICY}): {summary['records']:,} records so far, {time.monotonic() - started:.1f} s")
        # Every Baoji kind shows at least once: the missing ones go to an official of every Baoji year, in the last.
        missing = [kind for kind in maker.category if not seen[kind]]
        decided = {e.official_id for e in exemptions} | {v.official_id for v in vetoes}
        first, last = date(years[0], 1, 1), date(years[-1], 12, 31)
        steady = [
            pk for pk, _unit, included_on, retires_on in people
            if not (included_on and included_on >= first) and not (retires_on and retires_on <= last)
            and pk not in decided
        ]  # fmt: skip
        if missing and steady:
            day = days.day(min(date(years[-1], 11, 1), today))
            for kind in missing:
                points = str(BAOJI_COURSE_POINTS[0]) if kind == "online_course" else None
                quantity = str(BAOJI_CLASS_DAYS[-1]) if kind == "class_day" else "1"
                writer.add([(steady[-1], kind, maker.category[kind], quantity, points, True, day, "补录", "entered",
                             "approved", "", None)])  # fmt: skip
                summary["records"] += 1
        writer.flush()
        Exemption.objects.bulk_create(exemptions)
        Veto.objects.bulk_create(vetoes)
        if audit:
            _log_created(exemptions)
            _log_created(vetoes)
    summary["exemptions"], summary["vetoes"] = len(exemptions), len(vetoes)
    summary["seconds"] = round(time.monotonic() - started, 1)
    return summary


# ---------------------------------------------------------------------------------------------------------------
# The entry point


def build_city(
    *,
    officials: int,
    units: int,
    year: int,
    records_per_official: int = 60,
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    audit: bool = True,
    previous_year: bool = True,
    today: date | None = None,
) -> dict:
    """Insert a generated city into an empty directory; returns a summary of what was written.

    ``records_per_official`` is the average number of record rows per official in ``year``. The year before is
    written as imported summaries (``previous_year``). ``audit`` writes a change-log row for every inserted object.
    Scores are not computed: run ``compute_scores`` and ``rank_year`` for ``year - 1`` and then ``year``.
    """
    from credits.models import Exemption, GroupStudySession, Veto

    started = time.monotonic()
    say = progress or (lambda message: None)
    today = today or _today()
    rng = random.Random(seed)
    unit_specs = _unit_specs(rng, units)
    calendar = Calendar(rng, year, today, unit_specs)
    people = _people(rng, officials, unit_specs, year, calendar.last)
    use_copy = connection.vendor == "postgresql"

    with transaction.atomic():
        # Units: top-level units first (districts, departments), then the towns under the districts.
        objs = [Unit(code=s.code, name=s.name, kind=s.kind) for s in unit_specs]
        for parents_pass in (True, False):
            batch = [(o, s) for o, s in zip(objs, unit_specs, strict=True) if (s.parent is None) == parents_pass]
            for obj, spec in batch:
                obj.parent_id = None if spec.parent is None else unit_specs[spec.parent].pk
            Unit.objects.bulk_create([obj for obj, _spec in batch])
            for obj, spec in batch:
                spec.pk = obj.pk
        if audit:
            _log_created(objs)
        say(f"{len(unit_specs)} units")

        # Officials.
        for start in range(0, len(people), OFFICIAL_BATCH):
            batch = people[start : start + OFFICIAL_BATCH]
            objs = [
                Official(
                    staff_no=p.staff_no, name=p.name, unit_id=unit_specs[p.unit].pk, rank=p.rank,
                    included_on=p.included_on, retires_on=p.retires_on,
                )
                for p in batch
            ]  # fmt: skip
            Official.objects.bulk_create(objs)
            for p, obj in zip(batch, objs, strict=True):
                p.pk = obj.pk
            if audit:
                _log_created(objs)
        say(f"{len(people)} officials")

        # Exemptions and vetoes recorded by the training section.
        exemptions = [
            Exemption(official_id=p.pk, year=year, reason=p.exemption, note=p.exemption_note)
            for p in people
            if p.exemption
        ]
        vetoes = [
            Veto(official_id=p.pk, year=year, reason=reason, note=note) for p in people for reason, note in p.vetoes
        ]
        Exemption.objects.bulk_create(exemptions)
        Veto.objects.bulk_create(vetoes)
        if audit:
            _log_created(exemptions)
            _log_created(vetoes)

        # The units' central-group sessions of the year, before the records of their attendees that point to them.
        sessions = [
            GroupStudySession(unit_id=spec.pk, occurred_on=calendar.dates[day], topic=topic)
            for spec, topics in zip(unit_specs, calendar.session_topics, strict=True)
            for day, topic in topics.items()
        ]
        GroupStudySession.objects.bulk_create(sessions)
        if audit:
            _log_created(sessions)
        session_ids = {(s.unit_id, calendar.day(s.occurred_on)): s.pk for s in sessions}
        say(f"{len(sessions)} central-group sessions")

        # Records: the year in detail, the year before as imported summaries.
        maker = RecordMaker(rng, calendar, unit_specs, records_per_official)
        writer = RecordWriter(
            calendar, use_copy=use_copy, audit=audit, now=timezone.now(), sessions=session_ids,
            unit_of={p.pk: unit_specs[p.unit].pk for p in people},
        )  # fmt: skip
        kinds: Counter = Counter()
        year_rows = previous_rows = 0
        report_every = max(1000, len(people) // 10)
        for p in people:
            rows = maker.year_rows(p)
            year_rows += len(rows)
            kinds.update(row[1] for row in rows if row[9] == "approved")
            if previous_year and not (p.included_on and p.included_on.year >= year):
                extra = maker.previous_rows(p)
                previous_rows += len(extra)
                rows += extra
            writer.add(rows)
            if (p.index + 1) % report_every == 0:
                say(
                    f"records: {p.index + 1}/{len(people)} officials, {year_rows + previous_rows:,} rows, "
                    f"{time.monotonic() - started:.1f} s"
                )
        # Every kind shows at least once in a city big enough to have an ordinary official.
        missing = [kind for kind in (*CATEGORY, "discretionary") if not kinds[kind]]
        ordinary = [p for p in people if not p.exemption and not p.vetoes and not p.included_on and not p.retires_on]
        if missing and ordinary:
            p = ordinary[-1]
            day = calendar.last_day - 30 if calendar.last_day - 30 >= calendar.first_day else calendar.first_day
            for kind in missing:
                category, points = (CATEGORY.get(kind, "self_study"), "2" if kind == "discretionary" else None)
                quantity = "3" if kind in ("secondment_month", "class_day") else "1"
                writer.add([(p.pk, kind, category, quantity, points, True, day, "补录", "entered", "approved", "")])
                year_rows += 1
        writer.flush()

    seconds = time.monotonic() - started
    summary = {
        "year": year,
        "units": len(unit_specs),
        "officials": len(people),
        "records": year_rows,
        "records_previous_year": previous_rows,
        "exemptions": len(exemptions),
        "vetoes": len(vetoes),
        "sessions": len(sessions),
        "seconds": round(seconds, 1),
    }
    say(f"written {year_rows + previous_rows:,} records in {seconds:.1f} s")
    return summary


# ---------------------------------------------------------------------------------------------------------------
# Demo accounts


def _carrying_over(officials, year: int) -> Official | None:
    """The first of ``officials`` with a scored baoji-2009 year that carries credits both in and out, if any; one
    whose ``year`` did not fail first (the demo's own year should not open on a failure)."""
    from credits.models import AnnualScore
    from credits.policies import policy_of_year

    figures = AnnualScore.objects.filter(official__in=officials, policy=BAOJI_POLICY, exempt=False).values_list(
        "official_id", "figures"
    )
    carrying = {pk for pk, f in figures if Decimal(f.get("carry_in", "0")) > 0 and Decimal(f.get("carry_out", "0")) > 0}
    failing = policy_of_year(year).failing_grade
    failed = set(
        AnnualScore.objects.filter(official__in=officials, year=year, grade=failing).values_list(
            "official_id", flat=True
        )
    )
    candidates = [official for official in officials if official.pk in carrying]
    return next((o for o in candidates if o.pk not in failed), None) or next(iter(candidates), None)


def ensure_demo_accounts(*, year: int) -> dict:
    """Create the three demo sign-ins if missing; returns them and the officials whose records were adjusted.

    ``demo_orgstaff``: the training section (group ``org_staff``, admin site access); ``demo_unitadmin``: the study
    administrator of a town, an official of it too; ``demo_official``: an ordinary official of the same town whose
    year shows approved records, one still submitted and one rejected, and (when scores of years under baoji-2009
    exist) the first such official with a Baoji year that carries credits both in and out, and whose own year did
    not fail if there is one.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from credits.models import ActivityRecord, Exemption, Veto

    from .models import StudyAdministrator
    from .roles import OFFICIAL_GROUP, ORG_STAFF_GROUP, UNIT_ADMIN_GROUP, ensure_role_groups

    User = get_user_model()
    ensure_role_groups()
    groups = {g.name: g for g in Group.objects.filter(name__in=[ORG_STAFF_GROUP, UNIT_ADMIN_GROUP, OFFICIAL_GROUP])}

    def account(username: str, group: str, **extra):
        user, created = User.objects.get_or_create(username=username, defaults=extra)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(groups[group])
        return user

    staff = account(DEMO_ORG_STAFF, ORG_STAFF_GROUP, is_staff=True, first_name="培训科")
    if not staff.is_staff:
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
    result = {"orgstaff": staff, "unitadmin": None, "official": None, "changed": []}

    # The unit: the demo administrator's, else the biggest town (or unit).
    admin_user = User.objects.filter(username=DEMO_UNIT_ADMIN).first()
    unit = None
    if admin_user is not None:
        unit = Unit.objects.filter(study_admins__user=admin_user).first()
    if unit is None:
        from django.db.models import Count

        units = Unit.objects.annotate(n=Count("officials")).filter(n__gte=2).order_by("-n", "code")
        unit = units.filter(kind=UnitKind.TOWN).first() or units.first()
    if unit is None:
        return result

    start, end = date(year, 1, 1), date(year, 12, 31)
    exempt = Exemption.objects.filter(year=year).values("official_id")
    vetoed = Veto.objects.filter(year=year).values("official_id")
    ordinary = (
        Official.objects.filter(unit=unit, user__isnull=True)
        .exclude(included_on__gte=start)
        .exclude(retires_on__lte=end)
        .exclude(pk__in=exempt)
        .exclude(pk__in=vetoed)
        .order_by("staff_no")
    )

    admin_user = account(DEMO_UNIT_ADMIN, UNIT_ADMIN_GROUP, first_name="学习管理员")
    StudyAdministrator.objects.get_or_create(user=admin_user, defaults={"unit": unit})
    if not Official.objects.filter(user=admin_user).exists():
        official = ordinary.first()
        if official is not None:
            Official.objects.filter(pk=official.pk).update(user=admin_user)
    result["unitadmin"] = admin_user

    user = account(DEMO_OFFICIAL, OFFICIAL_GROUP)
    official = Official.objects.filter(user=user).first()
    if official is None:
        official = _carrying_over(ordinary, year) or ordinary.first()
        if official is None:
            return result
        Official.objects.filter(pk=official.pk).update(user=user)
    result["official"] = user

    # A mix on their year: approved records, one submitted declaration and one rejected declaration.
    records = ActivityRecord.objects.filter(official=official, occurred_on__gte=start, occurred_on__lte=end)
    now = timezone.now()
    last = max(start, min(end, _today()))
    if not records.filter(status="submitted").exists():
        latest = (
            records.filter(status="approved", category__in=["offjob", "self_study"])
            .exclude(kind="discretionary")
            .order_by("-occurred_on", "-id")
            .first()
        )
        if latest is not None:
            ActivityRecord.objects.filter(pk=latest.pk).update(
                status="submitted", source="declared", reviewed_at=None, created_by=user, updated_at=now
            )
            result["changed"].append(official.pk)
        else:
            ActivityRecord.objects.create(
                official=official, kind="study_paper", category="self_study", quantity=1,
                occurred_on=last, note="学习心得：新质生产力专题", source="declared",
                status="submitted", created_by=user,
            )  # fmt: skip
    if not records.filter(status="rejected").exists():
        ActivityRecord.objects.create(
            official=official, kind="class_reflection", category="offjob", quantity=1,
            occurred_on=max(start, last - timedelta(days=20)), note="培训班学习心得",
            source="declared", status="rejected", reject_reason="心得字数不足1000字，请修改后重新申报",
            created_by=user, reviewed_by=staff, reviewed_at=now,
        )  # fmt: skip
    return result
