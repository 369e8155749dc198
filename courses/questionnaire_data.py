"""The ready-made questionnaires (RULES §5; seed 002 annex 1 第三条/第五条 and annex 4 第六条): a training needs
survey over content, methods, channels, timing and quality at the organisational, post and individual levels, and
the evaluation a class's trainees fill in when it closes. Seeded by migration 0004 and restored by the demo city
when a test flushed them (``ensure_questionnaires``); a city may copy and change them, never these rows."""

from __future__ import annotations

NEEDS = "needs-survey"
CLASS_EVALUATION = "class-evaluation"

_SCALE = []  # a 1–5 scale has no options of its own

QUESTIONNAIRES = [
    {
        "code": NEEDS,
        "title": "干部教育培训需求调查问卷",
        "purpose": "needs",
        "description": "无记名调查：培训内容、教学方式、培训渠道、培训时间和培训质量，分组织需求、岗位需求和个人需求。",
        "questions": [
            # (kind, text, choices, topic, need, required, per_session)
            (
                "single",
                "您所在单位当前最需要加强的培训内容是",
                ["政治理论", "党的建设", "法律法规", "公共管理", "经济贸易", "历史文化", "地方产业"],
                "content",
                "organisational",
                True,
                False,
            ),
            (
                "multiple",
                "您的岗位最需要哪些知识和能力（可多选）",
                [
                    "政策理论水平",
                    "依法行政能力",
                    "经济管理知识",
                    "群众工作能力",
                    "应急处置能力",
                    "信息化应用能力",
                    "调查研究能力",
                ],
                "content",
                "post",
                True,
                False,
            ),
            (
                "multiple",
                "您个人最希望参加的培训内容（可多选）",
                [
                    "马克思主义经典著作",
                    "党史国史",
                    "宏观经济",
                    "城乡规划建设",
                    "乡村振兴",
                    "社会治理",
                    "领导科学",
                    "心理健康",
                ],
                "content",
                "individual",
                True,
                False,
            ),
            (
                "single",
                "您最喜欢的教学方式是",
                ["专题讲授", "案例教学", "研讨式教学", "情境模拟", "现场教学", "对话交流"],
                "methods",
                "individual",
                True,
                False,
            ),
            (
                "multiple",
                "您希望通过哪些渠道参加培训（可多选）",
                ["党校脱产培训", "网络在线学习", "菜单式选学讲座", "市外基地培训", "单位自行组织"],
                "channels",
                "individual",
                True,
                False,
            ),
            (
                "single",
                "您认为每期脱产培训以多长时间为宜",
                ["3天以内", "3至7天", "7至15天", "15天以上"],
                "timing",
                "post",
                True,
                False,
            ),
            (
                "single",
                "您希望在什么时间段参加培训",
                ["一季度", "二季度", "三季度", "四季度", "不限"],
                "timing",
                "individual",
                True,
                False,
            ),
            (
                "scale",
                "您对近一年参加的培训的总体满意度（1 很不满意，5 很满意）",
                _SCALE,
                "quality",
                "individual",
                True,
                False,
            ),
            ("scale", "培训内容与您岗位工作的结合程度（1 很低，5 很高）", _SCALE, "quality", "post", True, False),
            ("text", "您对改进干部教育培训工作的意见和建议", [], "quality", "", False, False),
        ],
    },
    {
        "code": CLASS_EVALUATION,
        "title": "培训班教学评估问卷",
        "purpose": "class_evaluation",
        "description": "无记名评估：各课次的内容和教师、培训班的组织管理，以及意见建议。",
        "questions": [
            ("scale", "这一课的内容对工作有帮助（1 很少，5 很大）", _SCALE, "content", "", True, True),
            ("scale", "这一课教师的讲授水平（1 很差，5 很好）", _SCALE, "teaching", "", True, True),
            ("scale", "培训班的组织管理（1 很差，5 很好）", _SCALE, "organisation", "", True, False),
            ("scale", "培训班的总体效果（1 很差，5 很好）", _SCALE, "quality", "", True, False),
            ("single", "本期培训的时间安排", ["偏短", "合适", "偏长"], "timing", "", True, False),
            ("text", "您对本期培训的意见和建议", [], "quality", "", False, False),
        ],
    },
]


def ensure_questionnaires(questionnaire_model=None, question_model=None) -> None:
    """The ready-made questionnaires present, by code (migration 0004 runs it with the historical models). Never
    changes one a city already has: only a missing one is added."""
    if questionnaire_model is None:
        from .models import Question as question_model
        from .models import Questionnaire as questionnaire_model
    for definition in QUESTIONNAIRES:
        questionnaire, created = questionnaire_model.objects.get_or_create(
            code=definition["code"],
            defaults={
                "title": definition["title"],
                "purpose": definition["purpose"],
                "description": definition["description"],
                "builtin": True,
            },
        )
        if not created:
            continue
        question_model.objects.bulk_create(
            question_model(
                questionnaire=questionnaire,
                order=order,
                kind=kind,
                text=text,
                choices=list(choices),
                topic=topic,
                need=need,
                required=required,
                per_session=per_session,
            )  # fmt: skip
            for order, (kind, text, choices, topic, need, required, per_session) in enumerate(
                definition["questions"], start=1
            )
        )
