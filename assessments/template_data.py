"""The three scorecard templates of RULES §4.1–4.3 as data (``ScorecardTemplate.definition``), loaded by the
migration ``0002_templates`` (update_or_create by code). Titles in Chinese, worded after the seeds
(``001_…`` Benxi, ``003_…`` Daxinganling); the structure, methods and points are RULES §4's.

A city adds its own template in /admin/ as JSON of this shape (checked by ``engine.template_problems``); a changed
template gets a new code (``benxi-2010`` → ``benxi-2024``) so the cards already scored keep theirs."""

from __future__ import annotations


def _manual(code: str, title: str, points: int) -> dict:
    return {"code": code, "title": title, "max": points, "method": "manual"}


def _deduction(code: str, title: str, per: int) -> dict:
    return {"code": code, "title": title, "max": 10, "method": "deduction", "per": per}


def _quarterly_meetings(code: str, title: str) -> dict:
    """O5 / T4: the yearly experience-exchange meeting 6, each quarter's leading-group meeting 1."""
    return {
        "code": code,
        "title": title,
        "max": 10,
        "method": "criteria",
        "criteria": [
            {"code": "meeting", "points": 6, "title": "召开全员性学习经验交流会"},
            {"code": "q1", "points": 1, "title": "第一季度召开领导小组办公会"},
            {"code": "q2", "points": 1, "title": "第二季度召开领导小组办公会"},
            {"code": "q3", "points": 1, "title": "第三季度召开领导小组办公会"},
            {"code": "q4", "points": 1, "title": "第四季度召开领导小组办公会"},
        ],
    }


FULL_YEAR = {"code": "full_year", "month": 11, "day": 30, "title": "全年自查报告"}

BENXI_2010 = {
    "code": "benxi-2010",
    "name": "本溪市行政机关公务员基本功训练百分考核标准",
    "version": 1,
    "sections": [
        {
            "code": "A",
            "title": "基本功训练工作组织领导和管理状况",
            "items": [
                _manual(
                    "A1",
                    "高度重视基本功训练工作，分管领导主抓，设有责任处（室）和专人负责，制定本单位公务员基本功训练方案",
                    5,
                ),
                _manual(
                    "A2", "基本功训练工作列为党委（党组）会议重要议题，主要领导、分管领导定期听取汇报、研究部署", 5
                ),
                _manual("A3", "基本功训练经费列入年度财政预算或有经费投入，有研究经费拨付的会议记录或领导批示件", 5),
            ],
        },
        {
            "code": "B",
            "title": "落实基本功训练工作任务、达到训练要求状况",
            "items": [
                _manual("B1", "认真履行训练工作职责，制定各阶段基本功训练计划", 5),
                _manual(
                    "B2",
                    "组织集中训练或其他形式训练，有授课内容、日程、授课教师名单或讲稿、签到记录和个人学习笔记",
                    10,
                ),
                _manual("B3", "落实“每周半日”训练制度，依据指导考核手册自学自练不少于5天或30学时", 5),
                _manual("B4", "按基本功训练网络在线学习要求完成在线学习内容，达到规定学时", 5),
                _manual("B5", "公务员通过多样化培训，参训率达到100%", 5),
                _manual("B6", "按市要求组织本单位公务员开展公文写作竞赛活动", 15),
            ],
        },
        {
            "code": "C",
            "title": "完成上级基本功训练调训任务状况",
            "items": [
                _manual("C1", "积极选派学员参加市统一组织的基本功训练集中培训班，按下达的名额安排培训人员", 5),
                {
                    "code": "C2",
                    "title": "集中训练学员不缺席、不早退，按期完成训练任务",
                    "max": 5,
                    "method": "choice",
                    "options": [
                        {"code": "full", "points": 5, "title": "全勤，按期完成训练任务"},
                        {"code": "leave", "points": 4, "title": "参加集训但请假，或请假累计超过培训时间10%"},
                        {"code": "absent", "points": 0, "title": "无故旷课"},
                    ],
                },
                _manual("C3", "按培训班要求认真准备并参加公文写作竞赛、主题演讲竞赛", 5),
                _manual("C4", "进入全市公文写作、主题演讲决赛", 5),
            ],
        },
        {
            "code": "D",
            "title": "基本功训练基础工作建设状况",
            "items": [
                {
                    "code": "D1",
                    "title": "按教材安排数量落实基本功训练教材（按落实比例计分）",
                    "max": 5,
                    "method": "ladder",
                    # The seed's 10/8/5/2/0 scale for 80/70/60/30 %, scaled to the item's 5 points (RULES §4.1).
                    "steps": [
                        {"minimum": 80, "points": 5},
                        {"minimum": 70, "points": 4},
                        {"minimum": 60, "points": 2.5},
                        {"minimum": 30, "points": 1},
                    ],
                },
                _manual("D2", "按人手一册要求领取《基本功训练指导考核手册》，并学习运用好手册", 5),
                _manual("D3", "做好考核测评，训练成果和测评结果记录在本人的指导考核手册中", 5),
                _manual("D4", "及时反映和提供基本功训练工作信息以及经验做法和问题", 5),
            ],
        },
        {
            "code": "E",
            "title": "加分项目",
            "items": [
                {"code": "E1", "title": "代表本市参加全省基本功训练单项竞赛", "max": 10, "method": "bonus"},
                {
                    "code": "E2",
                    "title": "参加全省基本功训练单项竞赛取得名次",
                    "max": 10,
                    "method": "bonus",
                    "requires": "E1",
                },
            ],
        },
    ],
    "tiers": [
        {"code": "fully_completed", "minimum": 90, "title": "全面完成"},
        {"code": "basically_completed", "minimum": 60, "title": "基本完成"},
        {"code": "not_completed", "minimum": 0, "title": "未完成"},
    ],
    "due_dates": [{"code": "half_year", "month": 7, "day": 31, "title": "半年自查报告"}, FULL_YEAR],
}

DAXINGANLING_ORG_2010 = {
    "code": "daxinganling-org-2010",
    "name": "大兴安岭地区推进学习型党组织建设活动考评细则",
    "version": 1,
    "sections": [
        {
            "code": "O",
            "title": "学习型党组织建设考评项目",
            "items": [
                _manual("O1", "主要负责人负总责、责任到人；制定创建方案和年度创建计划；党员个人有学习计划和目标", 10),
                _deduction("O2", "建立目标管理机制；集中学习有考勤制度和考勤记录；列入党员领导干部年度工作目标", 3),
                _deduction("O3", "建立考核激励机制和述学、评学、考学机制，考核结果作为干部使用和评先评优的依据", 2),
                _deduction("O4", "党组织和党员个人完成学习计划；基层党组织成员每年至少有1篇理论文章或调研文章", 1),
                _quarterly_meetings("O5", "每年至少召开一次全员性学习经验交流会；每季度召开一次领导小组办公会"),
                _manual(
                    "O6", "主要负责人每年给党员干部做学习报告不少于一次；带头执行“学习日”制；学习活动有原始记录", 10
                ),
                _deduction("O7", "领导班子成员建立工作联系点，每年深入基层调研不少于60天，有1—2篇调研报告", 1),
                {
                    "code": "O8",
                    "title": "建立互动学习长效机制，个人学习和组织学习互相补充，每年进行一次自我检查",
                    "max": 10,
                    "method": "criteria",
                    "criteria": [
                        {"code": "mechanism", "points": 4, "title": "建立互动学习长效机制"},
                        {"code": "complement", "points": 3, "title": "个人学习和组织学习互相补充"},
                        {"code": "self_check", "points": 3, "title": "每年进行一次自我检查"},
                    ],
                },
                {
                    "code": "O9",
                    "title": "制定实施党员干部培训计划，每年至少进行一次党员教育培训，时间不少于16学时",
                    "max": 10,
                    "method": "deduction",
                    "computed": "officials_below_16_hours",
                    "computed_per": 1,
                    "entered": False,
                },
                {
                    "code": "O10",
                    "title": "坚持学以致用，形成学习型党组织的基本框架，创建比例每年以10%以上递增",
                    "max": 10,
                    "method": "criteria",
                    "criteria": [
                        {"code": "c1", "points": 2, "title": "形成学习型党组织的基本框架"},
                        {"code": "c2", "points": 2, "title": "树立党员领导干部终身学习的理念"},
                        {"code": "c3", "points": 2, "title": "建成完善、开放、多层次、全方位的学习网络"},
                        {"code": "c4", "points": 2, "title": "具备有效、管用的创建工作机制以及评估指标体系"},
                        {"code": "c5", "points": 2, "title": "学习型党组织的创建每年以10%以上的比例递增"},
                    ],
                },
            ],
        }
    ],
    "tiers": [
        {"code": "learning_org", "minimum": 90, "title": "学习型党组织"},
        {"code": "not_rated", "minimum": 0, "title": "未评定"},
    ],
    "due_dates": [FULL_YEAR],
}

DAXINGANLING_TEAM_2010 = {
    "code": "daxinganling-team-2010",
    "name": "大兴安岭地区推进学习型领导班子建设活动考评细则",
    "version": 1,
    "appraisal": True,
    "sections": [
        {
            "code": "T",
            "title": "学习型领导班子建设考评项目",
            "items": [
                _deduction("T1", "明确主要领导为“第一责任人”；制定创建方案和年度计划；每名班子成员有个人学习计划", 1),
                _deduction("T2", "制定考勤制度并有考勤记录；班子和个人有学习笔记和学习记录；学习列入年度工作计划", 1),
                {
                    "code": "T3",
                    "title": "建立考核激励机制和述学、评学、考学机制，考核结果作为干部使用和评先评优的依据",
                    "max": 10,
                    "method": "criteria",
                    "criteria": [
                        {"code": "c1", "points": 2, "title": "建立考核激励机制"},
                        {"code": "c2", "points": 2, "title": "述职报告中有一年来学习情况的总结（述学）"},
                        {"code": "c3", "points": 2, "title": "民主测评时将评学纳入其中（评学）"},
                        {"code": "c4", "points": 2, "title": "有考学的具体办法（考学）"},
                        {"code": "c5", "points": 2, "title": "考核结果作为干部使用和评先评优的重要依据"},
                    ],
                },
                _quarterly_meetings("T4", "每年至少召开一次全员性学习经验交流会；每季度召开一次领导小组办公会"),
                _deduction("T5", "领导干部带头学习，日学1小时、周听一堂课、月读一本书，每季度读书笔记不少于5000字", 1),
                _deduction("T6", "领导班子成员建立工作联系点，每年深入基层调研不少于60天，有1—2篇调研报告", 1),
                _deduction("T7", "落实领导班子成员讲课制度，每年到党校或培训班讲课的比例达到20%", 1),
                {
                    "code": "T8",
                    "title": "班子成员每年20%以上参加学习培训，完成上级调训任务，每人每年学习不少于110学时",
                    "max": 10,
                    "method": "deduction",
                    "per": 2,  # per member who did not complete the dispatched training (entered)
                    "computed": "division_below_110_hours",
                    "computed_per": 1,  # per division-level official below 110 hours (from the records)
                },
                {
                    "code": "T9",
                    "title": "所属科级干部每年20%以上参加学习培训，每人每年学习不少于100学时",
                    "max": 10,
                    "method": "deduction",
                    "computed": "section_below_100_hours",
                    "computed_per": 1,
                    "entered": False,
                },
                _deduction("T10", "县处级领导干部能利用计算机上网查阅资料、收发电子邮件、编辑文字材料的比例达100%", 1),
            ],
        }
    ],
    "tiers": [
        {
            "code": "learning_team",
            "minimum": 90,
            "title": "学习型领导班子",
            # 没有被评为学习型党组织的单位，不具备评选学习型领导班子的资格；年度班子考核为一般、较差的也不能评。
            "requires_card": {"template": "daxinganling-org-2010", "tier": "learning_org", "title": "学习型党组织"},
            "excluded_appraisals": ["average", "poor"],
        },
        {"code": "not_rated", "minimum": 0, "title": "未评定"},
    ],
    "due_dates": [FULL_YEAR],
}

TEMPLATES = [BENXI_2010, DAXINGANLING_ORG_2010, DAXINGANLING_TEAM_2010]


def ensure_templates(model=None) -> None:
    """The three templates present, by code (migration 0002 runs it with the historical model; the demo city runs
    it too, as a test database flushed between tests has lost the migration's rows). Never changes a template a
    city already has: only a missing one is added."""
    if model is None:
        from .models import ScorecardTemplate as model
    for definition in TEMPLATES:
        model.objects.get_or_create(
            code=definition["code"],
            defaults={"name": definition["name"], "version": definition["version"], "definition": definition},
        )
