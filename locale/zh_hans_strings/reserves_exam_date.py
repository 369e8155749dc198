# zh_Hans for the written exam's own date (reserve_cadres: Exam.held_on, RULES §6): 笔试日期 in its year, not in the
# future, and the defense (答辩) never before that year's written exam (笔试).
ZH = {
    "Date of the exam": "笔试日期",
    "Optional; in the exam's year, not after that year's defense.": "选填；须在笔试所属年度内，且不晚于当年的答辩。",
    "The exam's date is not in %(year)s.": "笔试日期不在 %(year)s 年。",
    "The exam cannot be after that year's defense (held on %(date)s): the defense comes after a passed exam.": "笔试日期不能晚于当年的答辩（%(date)s）：笔试合格后方可参加答辩。",
    "The defense cannot be before that year's written exam (held on %(date)s).": "答辩日期不能早于当年的笔试（%(date)s）。",
    "It was held on %(day)s: the defense is not before that day.": "笔试日期为 %(day)s，答辩不能早于该日。",
}
