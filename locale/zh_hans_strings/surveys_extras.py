# zh_Hans for the surveys' half-year summary (需求调查半年汇总: the printable page, its chart descriptions and the
# workbook), the training follow-up notices (追踪问效提醒) and the demo. Official wording: 问卷, 作答, 汇总, 追踪问效,
# 自我评估, 学习总结, 座谈会, 抽样回访.
# fmt: off
ZH = {
    # courses/survey_reports.py: the charts' descriptions and legend
    "%(n)s answered: %(options)s.": "%(n)s 人作答：%(options)s。",
    "The mean is %(mean)s.": "平均分 %(mean)s。",
    "The previous half year, %(n)s answered: %(options)s.": "上一半年度 %(n)s 人作答：%(options)s。",
    "Share this half year": "本半年度占比", "Share the previous half year": "上一半年度占比",
    # The workbook
    "Overview of the survey": "概况", "Survey title": "调查名称", "Questionnaire used": "所用问卷",
    "Open from – to": "开放时间", "Responses in the half year": "作答份数", "Compared with the half year": "对比半年度",
    "Responses then (every survey of the questionnaire)": "上一半年度作答份数（同一问卷各次调查）",
    "What is shown": "显示规则",
    "Figures of a question with fewer than %(n)s answers are not shown.": "作答不足%(n)s份的题目不显示数据。",
    "Question no.": "题号", "Question text": "题目", "Topic and level of need": "调查内容/需求层次",
    "Answers to the question": "作答人数", "Chosen by": "选择人数", "Share in the previous half year": "上一半年度占比",
    "Change (points)": "变化（百分点）", "Results by question": "各题结果",
    "Fewer than %(n)s answers: figures not shown": "不足%(n)s份，不显示数据",
    "Free text (see the sheet of answers)": "文字题（见“文字回答”表）", "Mean of the scale (1–5)": "平均分（1–5）",
    "Written answers": "文字回答", "Written answer": "回答内容",
    "%(title)s %(period)s summary": "%(title)s %(period)s汇总",
    # The printable page (templates/courses/surveys/summary.html)
    "Download the summary (xlsx)": "下载汇总表（xlsx）", "Half years of the survey": "本调查各半年度",
    "Summary of %(period)s": "%(period)s汇总", "Responses in %(period)s": "%(period)s作答份数",
    "Answers are anonymous: nothing here tells who answered what. A question with fewer than %(n)s answers is not shown. The previous half year counts every survey of the same questionnaire; the change is in percentage points (the mean: in points of the 1–5 scale).":
        "无记名调查：本汇总不反映任何人的作答内容。作答不足%(n)s份的题目不显示。上一半年度统计同一问卷的各次调查；变化以百分点计（平均分以1–5分计）。",
    "answered by %(counter)s": "%(counter)s 人作答",
    "Fewer than %(n)s answers this half year: not shown.": "本半年度不足%(n)s份，不予显示。",
    "Scale value": "分值", "Change in points": "变化（百分点）",
    "Free text: the answers are listed at the end.": "文字题：回答内容列于文末。",
    "Listed in alphabetical order, never in the order they came.": "按字符顺序排列，不按作答先后。",
    "No such half year": "没有这个半年度",
    "A summary is made per half year, written like 2026H1 (January–June) or 2026H2 (July–December).":
        "汇总按半年度进行，写法如 2026H1（1—6月）或 2026H2（7—12月）。",
    # Notifications (notifications/texts.py)
    "Training follow-up due": "培训追踪问效待办", "Training follow-up overdue": "培训追踪问效逾期",
    "Your self-evaluation of the class “%(class)s” was due on %(due_on)s and has not been submitted.":
        "您在“%(class)s”的自我评估应于 %(due_on)s 前提交，目前尚未提交。",
    "Please submit your self-evaluation of the class “%(class)s” by %(due_on)s.":
        "请于 %(due_on)s 前提交“%(class)s”的自我评估。",
    "Your study summary of the class “%(class)s” was due on %(due_on)s and has not been submitted.":
        "您在“%(class)s”的学习总结应于 %(due_on)s 前提交，目前尚未提交。",
    "Please upload your study summary of the class “%(class)s” by %(due_on)s.":
        "请于 %(due_on)s 前上传“%(class)s”的学习总结。",
    "The follow-up forum of the class “%(class)s” (%(code)s) was due by %(due_on)s and has not been recorded.":
        "“%(class)s”（%(code)s）的训后座谈会应于 %(due_on)s 前召开，目前尚未登记。",
    "Hold and record the follow-up forum of the class “%(class)s” (%(code)s) by %(due_on)s.":
        "请于 %(due_on)s 前召开并登记“%(class)s”（%(code)s）的训后座谈会。",
    "The year %(round)s follow-up of the class “%(class)s” (%(code)s) was due on %(due_on)s: %(n)s sampled trainees are not recorded yet.":
        "“%(class)s”（%(code)s）第 %(round)s 年追踪回访应于 %(due_on)s 完成，尚有 %(n)s 名抽中学员未登记。",
    "The year %(round)s follow-up of the class “%(class)s” (%(code)s) was due on %(due_on)s and no trainees have been drawn for it.":
        "“%(class)s”（%(code)s）第 %(round)s 年追踪回访应于 %(due_on)s 完成，目前尚未抽取学员。",
    "The year %(round)s follow-up of the class “%(class)s” (%(code)s) is due on %(due_on)s.":
        "“%(class)s”（%(code)s）第 %(round)s 年追踪回访应于 %(due_on)s 完成。",
}
