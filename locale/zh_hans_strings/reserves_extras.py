# zh_Hans for the reserve pool's extras (helper C3): the officials import's 出生日期 column, the admin site's date of
# birth, the overdue follow-up notices of reserve cadres (心得体会 per half year, 年度考核 by 25 December).
ZH = {
    # imports/workbook.py: the template's column note
    "Optional: the date of birth (the reserve pool's age limits read it).": "选填：出生日期（后备干部年龄条件据此判断）。",
    # organisation/admin.py
    "Changed in the admin site": "在管理后台修改",
    # notifications: the kind and its texts
    "Reserve cadre follow-up overdue": "后备干部跟踪培养事项逾期",
    "The yearly assessment of %(year)s of the reserve cadre %(official)s (%(unit)s) was due on %(due_on)s and has not been entered.": "后备干部%(official)s（%(unit)s）的 %(year)s 年度考核应于 %(due_on)s 前录入，至今尚未录入。",
    "The reflection article of %(period)s of the reserve cadre %(official)s (%(unit)s) was due on %(due_on)s and has not been entered.": "后备干部%(official)s（%(unit)s）%(period)s的心得体会文章应于 %(due_on)s 前提交，至今尚未录入。",
    "the first half of %(year)s": "%(year)s年上半年",
    "the second half of %(year)s": "%(year)s年下半年",
}
