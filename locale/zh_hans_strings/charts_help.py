# zh_Hans for the charts (dashboard, unit report, 我的学分: titles and descriptions read by screen readers) and the
# help page (/help/).
# fmt: off
ZH = {
    # Charts: titles, descriptions, legends
    "Total credits by year": "历年总分",
    "%(year)s: %(total)s points, %(grade)s": "%(year)s年：%(total)s 分，%(grade)s",
    "Grade distribution of %(year)s": "%(year)s年等次分布",
    "%(grade)s: %(count)s": "%(grade)s：%(count)s 人",
    ". ": "。", "; ": "；",
    "Pass rate and grades by unit, %(year)s": "%(year)s年各单位合格率与等次分布",
    "The %(n)s units with the lowest pass rate, %(year)s": "%(year)s年合格率最低的 %(n)s 个单位",
    "The %(n)s units with the highest pass rate, %(year)s": "%(year)s年合格率最高的 %(n)s 个单位",
    "%(unit)s year over year: pass rate and average total": "%(unit)s历年合格率与平均分",
    "The city year over year: pass rate and average total": "全市历年合格率与平均分",
    "%(unit)s (%(rate)s%%)": "%(unit)s（%(rate)s%%）",
    "%(grade)s %(count)s": "%(grade)s %(count)s",
    "%(unit)s: pass rate %(rate)s%% of %(assessed)s assessed (%(counts)s)":
        "%(unit)s：合格率 %(rate)s%%，考核 %(assessed)s 人（%(counts)s）",
    "No unit has assessed officials.": "没有参加考核干部的单位。",
    "Pass rate (%)": "合格率（%）", "Average total": "平均分",
    "%(year)s: pass rate %(rate)s%% of %(assessed)s assessed, average total %(average)s":
        "%(year)s年：合格率 %(rate)s%%，考核 %(assessed)s 人，平均分 %(average)s",
    "No year has assessed officials yet.": "还没有哪一年有参加考核的干部。",
    # The dashboard's chart sections
    "Pass rate and grades by unit": "各单位合格率与等次分布",
    "%(counter)s unit has assessed officials. Each bar is one unit's assessed officials by grade; the pass rate "
    "(not failed) follows its name.":
        "共 %(counter)s 个单位有参加考核的干部。每一条为一个单位参加考核干部的等次构成，单位名称后为合格率（未被评为不合格的比例）。",
    "The table below lists every unit.": "下表列出全部单位，可点击表头排序。",
    "Year over year": "历年对比",
    # The help page (/help/): the headings; the guide's text is written in Chinese in the template
    "Help": "使用帮助", "User guide": "使用帮助", "Contents": "目录", "Getting started": "开始使用",
    "For officials": "干部", "For unit study administrators": "单位学习管理员", "For the training section": "干部教育培训科",
    "Common questions": "常见问题",
}
