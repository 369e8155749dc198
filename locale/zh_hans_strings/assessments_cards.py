# zh_Hans for the scorecards' services, API and notices (assessments/services/cards.py, assessments/api/,
# assessments/filtersets.py, notifications of overdue self-checks): 考核表 for a card, 自查 for the self-check,
# 培训科 for the training section, 学习管理员 for the unit's study administrator, 佐证材料 for evidence files.
ZH = {
    # the API's input
    "Unknown field.": "未知字段。",
    "Send one value: %(keys)s.": "只能提交一个分值：%(keys)s。",
    "Send the item's value (%(keys)s) or a note.": "请提交该项的分值（%(keys)s）或说明。",
    "The card has no item %(code)s.": "该考核表没有 %(code)s 项。",
    "Choose a file.": "请选择文件。",
    "No template has this code.": "没有这个代码的考核模板。",
    "Template code, e.g. benxi-2010.": "考核模板代码，如 benxi-2010。",
    "Tier code, e.g. fully_completed or learning_org.": "等次代码，如 fully_completed 或 learning_org。",
    # who may act, and when
    "Only the unit's study administrator or the training section may do this.": "只有本单位学习管理员或培训科可以进行此操作。",
    "The card is finalised; the training section must reopen it first.": "考核表已定稿，须由培训科先重新开放。",
    "The self-check was submitted; it can be changed again when the training section returns the card.": "自查已提交，培训科退回后才能再修改。",
    "Give the reason.": "请填写原因。",
    "The reason may have at most %(n)s characters.": "原因最多 %(n)s 个字。",
    # cards and values
    "This template is no longer in use.": "该考核模板已停用。",
    "%(unit)s already has a card of this template for %(year)s.": "%(unit)s %(year)s 年度已有该模板的考核表。",
    "Cards of %(year)s for every unit": "为各单位建立 %(year)s 年度考核表",
    "Enter a value for the item.": "请填写该项的分值。",
    "Enter text.": "请填写文字。",
    "This card has no team appraisal.": "该考核表没有班子年度考核结果。",
    "Choose one of: %(choices)s.": "请从以下选择：%(choices)s。",
    "An item takes at most %(n)s evidence files.": "每项最多上传 %(n)s 个佐证材料。",
    # self-check reports and review
    "This template has no self-check due dates.": "该考核模板没有自查报告截止日期。",
    "The self-check report for this period was already submitted.": "本期自查报告已经提交。",
    "Only a submitted self-check can be returned.": "只有已提交的自查才能退回。",
    "Only a finalised card can be reopened.": "只有已定稿的考核表才能重新开放。",
    # the notice
    "Scorecard self-check overdue": "考核自查报告逾期",
    "The %(period)s self-check of “%(template)s” %(year)s for %(unit)s was due on %(due_on)s and has not been submitted.": "%(unit)s %(year)s 年度“%(template)s”的%(period)s应于 %(due_on)s 前提交，至今尚未提交。",
}
