"""Fill the zh_Hans catalogue from the table below (run after `makemessages`; `make messages` does both).

Every msgid in the code must have an entry: the script lists the ones that do not and exits 1.
Entries live in ``ZH`` below and in one file per portal area under ``zh_hans_strings/`` (each defines ``ZH``).
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ZH = {
    "Audit trail": "审计记录",
    "Created": "新增",
    "Updated": "修改",
    "Deleted": "删除",
    "model": "对象类型",
    "object": "对象",
    "action": "操作",
    "by": "操作人",
    "at": "时间",
    "old values": "原值",
    "new values": "新值",
    "reason": "原因",
    "change": "变更",
    "change log": "变更日志",
    "There is no official with staff number “{value}”.": "没有工号为“{value}”的干部。",
    "Give the reason for rejecting.": "请填写退回原因。",
    "Training credits": "培训学分",
    "The evidence file is larger than %(mb)d MB.": "佐证材料超过 %(mb)d MB。",
    "The evidence file must be a PDF, JPEG or PNG file.": "佐证材料必须是 PDF、JPEG 或 PNG 文件。",
    "Off-job training": "脱产培训",
    "Menu-style lectures": "“菜单式”选学",
    "Online study": "网络学习",
    "Central-group study": "集中研学",
    "Self-study": "在职自学",
    "Training class day": "参加培训班（天）",
    "Exchange speech at a class": "培训班交流发言",
    "Class study reflection": "培训班学习心得",
    "Secondment month": "挂职锻炼/支援/重点工程（月）",
    "City training office menu lecture": "市干教办“菜单式”讲座",
    "Other unit lecture or forum": "其他单位讲座、讲堂",
    "Online academy class hour": "网络学院学时",
    "Xuexi Qiangguo app (yearly)": "“学习强国”学习（年度）",
    "Central-group study, speaker": "中心组学习（发言）",
    "Central-group study, listener": "中心组学习（不发言）",
    "Superior central-group study": "参加上级中心组学习",
    "Designated book reflection": "指定书目心得体会",
    "Endorsed research report": "调研报告（获市主要领导肯定）",
    "Self-study paper": "自学论文或摘抄笔记",
    "Teaching a topic": "授课（每专题）",
    "Faculty pool teaching session": "师资库成员授课（每场）",
    "Discretionary points": "酌情赋分",
    "Entered": "录入",
    "Declared": "申报",
    "Imported": "导入",
    "Generated": "系统生成",
    "Submitted": "待审核",
    "Approved": "已通过",
    "Rejected": "已退回",
    "Withdrawn": "已撤回",
    "Sick or personal leave over 6 months": "病事假超过6个月",
    "Year of retirement": "退休当年",
    "Newly included, under 6 assessable months": "新提拔或新纳入市管不足6个月",
    "Seconded 6 months or more": "抽调市外挂职、支援或重点工程6个月以上",
    "Other case decided by the organization department": "市委组织部认定的其他情况",
    "Absent without reason from dispatched training": "无故不参加组织调训",
    "Serious breach of training discipline": "严重违反培训纪律造成恶劣影响",
    "official": "干部",
    "kind": "类型",
    "category": "类别",
    "quantity": "数量",
    "points": "分值",
    "Discretionary points only.": "仅用于酌情赋分。",
    "class result passed": "培训考核合格",
    "Training class days count only when passed.": "培训班考核合格方计分。",
    "date": "日期",
    "note": "备注",
    "evidence": "佐证材料",
    "source": "来源",
    "status": "状态",
    "reason for rejection": "退回原因",
    "activity record": "学习记录",
    "activity records": "学习记录",
    "Can approve and reject records and decide cases": "可审核学习记录并认定考核事项",
    "year": "年度",
    "exemption": "免于考核",
    "exemptions": "免于考核",
    "veto": "一票否决",
    "vetoes": "一票否决",
    "policy": "考核办法",
    "year policy": "年度考核办法",
    "year policies": "年度考核办法",
    "Unit when computed.": "计算时所在单位。",
    "exempt": "免于考核",
    "exemption reason": "免考原因",
    "total": "总分",
    "grade": "等次",
    "annual score": "年度学分",
    "annual scores": "年度学分",
    "Pending": "等待中",
    "Running": "进行中",
    "Done": "已完成",
    "Failed": "失败",
    "Percent done.": "完成百分比。",
    "You may not enter records for this official.": "您无权为该干部录入记录。",
    "Unknown kind “%(kind)s”.": "未知的学习类型“%(kind)s”。",
    "The quantity must be a number.": "数量必须是数字。",
    "The quantity must be more than 0 and at most %(max)s.": "数量必须大于 0 且不超过 %(max)s。",
    "The quantity may have at most one decimal place.": "数量最多保留一位小数。",
    "The date is in the future.": "日期不能晚于今天。",
    "Choose the category the discretionary points count under.": "请选择酌情赋分计入的类别。",
    "The points must be a number.": "分值必须是数字。",
    "Discretionary points need the number of points.": "酌情赋分须填写分值。",
    "The points must be more than 0 and at most %(max)s.": "分值必须大于 0 且不超过 %(max)s。",
    "The points may have at most one decimal place.": "分值最多保留一位小数。",
    "This kind always counts under “%(category)s”.": "该类型固定计入“%(category)s”。",
    "Points are set only for discretionary records.": "只有酌情赋分记录可以填写分值。",
    "Only the training section sets discretionary points.": "酌情赋分只能由干部教育培训科设定。",
    "You may not enter records of this category; the training section enters them.": "您无权录入该类别的记录，请由干部教育培训科录入。",
    "Only the training section reviews records.": "只有干部教育培训科可以审核记录。",
    "Only submitted records can be reviewed; this one is %(status)s.": "只能审核待审核的记录，该记录当前为“%(status)s”。",
    "Give the reason for rejecting the record.": "请填写退回该记录的原因。",
    "Only whoever declared a record can withdraw it.": "只有申报人可以撤回记录。",
    "Only records still waiting for review can be withdrawn.": "只有待审核的记录可以撤回。",
    "Only the training section can delete an approved or someone else's record.": "已通过的记录或他人录入的记录只能由干部教育培训科删除。",
    "Only the training section records exemptions and vetoes.": "免于考核和一票否决只能由干部教育培训科认定。",
    "Unknown exemption reason “%(reason)s”.": "未知的免考原因“%(reason)s”。",
    "Describe the case the organization department decided.": "请说明市委组织部认定的具体情况。",
    "This official already has an exemption for %(year)s.": "该干部 %(year)s 年度已有免考记录。",
    "Unknown veto reason “%(reason)s”.": "未知的否决原因“%(reason)s”。",
    "This veto is already on record for %(year)s.": "该干部 %(year)s 年度已有此项否决记录。",
    "There is no unit with code “{value}”.": "没有代码为“{value}”的单位。",
    "The year must be between 2000 and 2100.": "年度必须在 2000 至 2100 之间。",
    "Organisation": "组织机构",
    "District": "区",
    "Town": "镇",
    "City department": "市级部门",
    "County/division level": "县处级",
    "Section chief": "正科级",
    "Deputy section chief": "副科级",
    "Other": "其他",
    "code": "代码",
    "name": "名称",
    "parent unit": "上级单位",
    "unit": "单位",
    "units": "单位",
    "staff number": "工号",
    "rank": "职级",
    "included among city-managed cadres on": "纳入市管日期",
    "Empty means long before any assessment year.": "留空表示早于任何考核年度。",
    "retirement date": "退休日期",
    "login": "登录账号",
    "officials": "干部",
    "unit study administrator": "单位学习管理员",
    "unit study administrators": "单位学习管理员",
    "Only the organization department maintains units and officials.": "单位和干部信息只能由组织部维护。",
    "A unit with code “%(code)s” already exists.": "代码为“%(code)s”的单位已存在。",
    "Staff number “%(no)s” is already taken.": "工号“%(no)s”已被使用。",
    "These fields cannot be changed: %(f)s": "以下字段不能修改：%(f)s",
    "The retirement date is before the inclusion date.": "退休日期早于纳入市管日期。",
}


def _area_tables() -> dict[str, str]:
    """More tables, one file per area of the portal: ``locale/zh_hans_strings/*.py``, each with a ``ZH`` dict."""
    merged: dict[str, str] = {}
    for path in sorted((Path(__file__).parent / "zh_hans_strings").glob("*.py")):
        namespace: dict = {}
        exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # noqa: S102 - our own tables
        merged.update(namespace["ZH"])
    return merged


def main() -> int:
    path = Path(__file__).parent / "zh_Hans" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale="zh_Hans")
    catalog.fuzzy = False
    catalog.project, catalog.version = "kunshan_training", "1"
    catalog.language_team = catalog.last_translator = "干部教育培训学分管理 <training@example.gov.cn>"
    table = {**ZH, **_area_tables()}
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id  # plurals: keyed by the singular
        if key in table:
            message.string = (table[key],) if isinstance(message.id, tuple) else table[key]  # zh has one form
            message.flags.discard("fuzzy")
        else:
            # Never keep makemessages' fuzzy guess: its placeholders may not match (a KeyError at run time).
            message.string = ("",) if isinstance(message.id, tuple) else ""
            message.flags.discard("fuzzy")
            missing.append(key)
    with path.open("wb") as f:
        write_po(f, catalog, width=120)
    for msgid in missing:
        print(f"no zh_Hans translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
