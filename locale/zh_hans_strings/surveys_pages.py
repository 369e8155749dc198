# zh_Hans for the survey and follow-up pages (问卷调查, 追踪问效, 培训反馈; courses/views/surveys.py, followup.py, their
# forms and templates). Official wording: 需求调查, 培训评估, 自我评估, 学习总结, 座谈会, 追踪问效, 抽样, 随机种子.
# fmt: off
ZH = {
    # Navigation and tabs
    "Surveys": "问卷调查", "Training follow-up": "追踪问效", "Training feedback": "培训反馈",
    "Surveys and questionnaires": "问卷调查与问卷模板", "Needs surveys": "需求调查", "Class evaluations": "培训班评估",
    "Questionnaires": "问卷模板",
    # The survey forms
    "Units asked": "调查单位", "None chosen: every unit.": "不选：全部单位。", "Choose units of the list.": "请从列表中选择单位。",
    "Choose units.": "请选择单位。", "Opens on": "开始日期", "Closes on": "截止日期", "Ranks asked": "调查职级",
    "None chosen: every rank.": "不选：全部职级。", "Choose ranks of the list.": "请从列表中选择职级。",
    "A survey cannot close before it opens.": "截止日期不能早于开始日期。",
    "Letters, digits and hyphens, e.g. 2026-needs.": "字母、数字和连字符，如 2026-needs。",
    "Use letters, digits and hyphens only.": "只能使用字母、数字和连字符。", "Questionnaire": "问卷",
    "Choose a questionnaire of the list.": "请从列表中选择问卷。", "Broken down by": "分组方式", "No breakdown": "不分组",
    "By rank": "按职级", "By kind of unit": "按单位类别", "Break down by rank or by kind of unit.": "只能按职级或单位类别分组。",
    "All half years": "全部半年度", "Choose a half year in which it was answered.": "请选择有答卷的半年度。",
    "Purpose": "用途", "Description": "说明", "Question": "题目", "Options, one per line": "选项（每行一个）",
    "Only for a choice question.": "仅选择题填写。", "Level of need": "需求层次", "Code of the copy": "副本代码",
    "Title of the copy": "副本标题",
    # The trainee's forms
    "What I learnt": "学到的知识", "Write what you learnt.": "请填写学到的知识。", "What the class inspired": "受到的启发",
    "New ideas for my work": "对工作的新思路", "My grasp of the subject before the class (1–5)": "受训前自我评价（1–5）",
    "Choose a value from 1 to 5.": "请选择 1 到 5 之间的数值。",
    "My grasp of the subject after the class (1–5)": "受训后自我评价（1–5）", "Give the title.": "请填写标题。",
    "Summary": "总结内容", "Write it here or upload it below.": "可在此填写，也可在下方上传。",
    "File (PDF or image)": "文件（PDF 或图片）", "Write the summary or upload it as a file.": "请填写学习总结或上传文件。",
    # The organiser's forms
    "Trainees attending": "参加学员人数", "What was said": "座谈内容", "Pilot or key class": "试点或重点班次",
    "Years of follow-up": "追踪年限", "More than one only for a pilot or key class.": "只有试点或重点班次可追踪一年以上。",
    "Year of follow-up": "追踪年度", "Sample size": "抽样人数",
    "Blank: the default (a fifth of the trainees, 5 to 30).": "留空：默认人数（学员的五分之一，5 至 30 人）。",
    "Seed": "随机种子", "Blank: a random seed. The same seed draws the same trainees again.":
        "留空：随机生成。相同的随机种子会再次抽中相同的学员。",
    "Choose a year of follow-up of this class.": "请选择本班的追踪年度。", "Done on": "追踪日期", "Method": "方式",
    "Outcome": "成效", "Finding": "追踪情况", "Due and overdue": "到期和逾期", "Choose due or overdue.": "请选择到期或逾期。",
    "All years": "全部年度", "Choose a year of the list.": "请从列表中选择年度。",
    # Messages of the views
    "Per teacher": "按教师", "Per course": "按课程", "The forum is recorded.": "座谈会已记录。",
    "The class's years of follow-up are set.": "本班追踪年限已设置。",
    "%(size)s of %(population)s trainees drawn for year %(round)s with seed %(seed)s.":
        "第 %(round)s 年追踪：从 %(population)s 名学员中抽取 %(size)s 名，随机种子 %(seed)s。",
    "The follow-up of %(name)s is recorded.": "%(name)s 的追踪情况已记录。",
    "Your self-evaluation is saved. Thank you.": "自我评估已保存，谢谢。",
    "Your study summary is handed in. Thank you.": "学习总结已提交，谢谢。",
    "The survey “%(title)s” is created.": "问卷调查“%(title)s”已创建。", "The survey is changed.": "问卷调查已修改。",
    "The questionnaire “%(title)s” is created.": "问卷“%(title)s”已创建。", "%(title)s (copy)": "%(title)s（副本）",
    "The copy “%(title)s” is made; change its questions here.": "已复制为“%(title)s”，可在此修改题目。",
    "Some answers are missing or not valid; see the questions marked below.": "有的题目未答或答案无效，请看下方标出的题目。",
    # The class page: 培训评估
    "Training evaluation": "培训评估", "Follow-up": "追踪问效", "All results": "全部结果",
    "No class evaluation is open for this class.": "本班没有培训评估问卷。",
    "%(n)s trainee has answered the anonymous class evaluation (open until %(day)s).":
        "已有 %(n)s 名学员填写无记名培训评估（截止 %(day)s）。",
    "Fewer than %(k)s answers: the results are not shown, so no answer can be told apart.":
        "不足%(k)s份，不显示结果，以免辨认出个人答卷。",
    "Answers": "答卷数", "fewer than %(k)s answers, not shown by group": "不足%(k)s份，不分组显示",
    "Fewer than %(k)s answers: not shown.": "不足%(k)s份，不予显示。", "No text was written.": "无文字回答。",
    "mean %(mean)s": "平均 %(mean)s",
    # Follow-up pages
    "Not due yet": "未到期", "Not yet": "未提交", "Due soon": "即将到期", "Due date": "截止日期", "Open now": "进行中", "Survey closed": "已截止", "Forum": "座谈会", "Self-evaluation": "自我评估", "Study summary": "学习总结",
    "Yearly follow-up": "年度追踪", "Progress": "进度", "Forum of the trainees": "学员座谈会",
    "Self-evaluations": "自我评估", "Study summaries": "学习总结", "Not drawn yet": "尚未抽样",
    "Pilot or key class: years of follow-up": "试点或重点班次：追踪年限", "Forums": "座谈会",
    "No forum recorded yet.": "尚未记录座谈会。", "Record a forum": "记录座谈会", "Record the forum": "记录座谈会",
    "Yearly follow-up of a sample": "年度抽样追踪",
    "Each year a sample of the trainees is drawn and followed up at their units. Its size and seed are kept: the same seed draws the same trainees again, so anyone can check the draw.":
        "每年抽取部分学员到其所在单位追踪。抽样人数和随机种子均予保存：用相同的随机种子会抽中相同的学员，抽样可以复核。",
    "To do": "待追踪", "Record the follow-up": "记录追踪情况", "Draw a sample": "抽样", "Draw": "抽取",
    "Follow-up of %(title)s": "%(title)s 追踪问效", "%(n)s trainee": "%(n)s 名学员", "%(n)s recorded": "已记录 %(n)s 次",
    "Follow-up, year %(n)s": "第 %(n)s 年追踪", "%(done)s of %(size)s reviewed": "已追踪 %(done)s / %(size)s 人",
    "A pilot or key class is followed up for 1 to %(max_years)s years, one sample a year; any other class for one year.":
        "试点或重点班次追踪 1 至 %(max_years)s 年，每年抽样一次；其他班次追踪一年。",
    "%(n)s trainee attended": "%(n)s 名学员参加", "Year %(n)s": "第 %(n)s 年",
    "%(size)s of %(population)s trainees drawn with seed %(seed)s; due %(due)s.":
        "从 %(population)s 名学员中抽取 %(size)s 名，随机种子 %(seed)s；%(due)s 前完成。",
    "due %(due)s": "%(due)s 到期",
    "What the training section feeds back to the unit about its trainees: attendance and result, self-evaluation, study summary and the yearly follow-up. The class evaluations are anonymous and are not here.":
        "干部教育培训科向单位反馈本单位学员的情况：出勤和结业、自我评估、学习总结和年度追踪。培训评估为无记名，不在此列。",
    "Trainees of closed classes": "已结业班次的学员", "Class": "班次", "Handed in": "已提交",
    "No trainee of the unit in a closed class.": "本单位没有已结业班次的学员。",
    "After a class: a forum and the trainees' study summaries 1 to 3 months later, their self-evaluations, and a yearly follow-up of a sample (up to three years for a pilot or key class). Listed here when due or overdue.":
        "培训结束后：1至3个月内召开座谈会、学员提交学习总结和自我评估，每年抽样追踪（试点或重点班次最多三年）。到期和逾期事项列于此处。",
    "Nothing is due or overdue.": "没有到期或逾期的事项。",
    "What you learnt and how you rate yourself before and after the class. It is kept with your name and fed back to your unit (unlike the class evaluation, which is anonymous).":
        "填写学到的知识以及受训前后的自我评价。自我评估实名保存并反馈给您的单位（培训评估则为无记名）。",
    "Hand in": "提交",
    "Write how you apply what you learnt, or upload it as a PDF or a photo (JPEG, PNG). It is fed back to your unit.":
        "请写明学以致用的情况，或上传 PDF 或照片（JPEG、PNG）。学习总结将反馈给您的单位。",
    "A file is attached.": "已附文件。", "Handed in on %(when)s; you may change it.": "已于 %(when)s 提交，可以修改。",
    "Handed in on %(when)s; you may hand in a new version.": "已于 %(when)s 提交，可以提交新版本。",
    # 我的培训
    "Surveys and follow-up to do": "待填问卷和待办事项", "Answered": "已填写", "Answer": "填写",
    "No survey is open for you now.": "目前没有需要您填写的问卷。", "overdue": "已逾期",
    # Results
    "Rating": "分值", "Bar": "条形图", "Mean %(mean)s of %(top)s": "平均 %(mean)s 分（满分 %(top)s 分）", "For each session": "每节课",
    "Not open yet": "未开始", "Results of %(title)s": "%(title)s 结果", "%(n)s answer": "%(n)s 份答卷",
    "%(n)s answered": "%(n)s 人作答",
    "Anonymous: counts of many answers only; a group of fewer than %(k)s is not shown on its own.":
        "无记名：只显示多份答卷的汇总；不足%(k)s份的分组不单独显示。",
    "Groups": "分组", "All sessions together": "各节课合计", "By group": "分组结果", "Group": "分组", "Mean": "平均分",
    "No question.": "没有题目。",
    # The answer form
    "Open until %(day)s.": "截止 %(day)s。",
    "Your answers are anonymous: they are kept without your name, and no one can see what you answered.":
        "本问卷无记名：答卷不与您的姓名关联，任何人都看不到您的回答。",
    "Choose all that apply.": "可多选。", "1 = lowest, 5 = highest": "1 最低，5 最高", "1 lowest": "1 最低",
    "5 highest": "5 最高", "Send my answers": "提交答卷",
    "You have already answered this survey. Each official answers once; your answers cannot be looked up or changed, because they are not kept with your name.":
        "您已填写过本问卷。每人只填一次；答卷不与您的姓名关联，因此无法查看或修改。",
    "Back to My training": "返回我的培训",
    "This survey is not open for you to answer: it is closed, not open yet, or not addressed to you.":
        "您目前不能填写本问卷：问卷已截止、尚未开始，或不在调查范围内。",
    "Thank you": "谢谢", "Your answers to “%(title)s” are received, without your name.": "您对“%(title)s”的答卷已无记名提交。",
    "The training section reads them only as counts and summaries of many answers, to plan the training.":
        "干部教育培训科只看多份答卷的统计汇总，用于规划培训。",
    # Survey pages of the training section
    "New survey": "新建问卷调查",
    "A survey puts a questionnaire to the officials of the units and ranks chosen (none chosen: everyone) between two dates. They answer on their phone from 我的培训; the answers are anonymous.":
        "问卷调查在规定日期内向所选单位和职级的干部（不选即全部）发放问卷。干部在“我的培训”中用手机填写，答卷无记名。",
    "Create the survey": "创建问卷调查", "Results": "结果", "The class page": "班次页面", "Asked": "调查人数",
    "Every unit": "全部单位", "Every rank": "全部职级", "The trainees of %(title)s": "%(title)s 的学员",
    "Participation": "参与情况", "%(answered)s of %(asked)s asked have answered": "应答 %(asked)s 人，已答 %(answered)s 人",
    "Who has answered is kept only to stop a second answer; it is never shown, and nothing links it to an answer.":
        "“已填写”记录只用于防止重复填写，从不显示，也不与任何答卷关联。",
    "Answers per half year": "各半年度答卷", "Half-year summary": "半年度汇总", "Printable summary": "打印汇总",
    "Excel": "Excel", "No answer yet.": "暂无答卷。", "Change the dates and who is asked": "修改日期和调查范围",
    "Save the changes": "保存修改", "%(n)s question": "%(n)s 道题",
    "Answers are anonymous: the portal keeps who has answered apart from what was answered, and shows no group of fewer than %(k)s answers on its own.":
        "答卷无记名：系统将“谁已填写”与“填写内容”分开保存，不足%(k)s份的分组不单独显示。",
    "Survey": "问卷调查", "The latest %(per_page)s are listed.": "列出最近 %(per_page)s 项。",
    "No class has been evaluated yet: closing a class opens its evaluation.": "暂无培训评估：班次结业时自动发放培训评估问卷。",
    "No survey yet.": "暂无问卷调查。",
    # Questionnaires
    "Ready-made": "预置", "Start a survey with it": "用此问卷发起调查", "Copy to change it": "复制后修改", "Copy": "复制",
    "Surveys with it": "使用此问卷的调查", "None yet.": "暂无。",
    "Used by %(n)s class evaluation.": "用于 %(n)s 个培训评估。", "New questionnaire": "新建问卷",
    "One row a question. A choice question has its options one per line; a scale is answered 1 to 5; free text is written. Rows left empty are skipped.":
        "每行一道题。选择题每行写一个选项；量表题按 1 至 5 分作答；文字题自由填写。空行不计。",
    "Question %(n)s": "第 %(n)s 题", "Create the questionnaire": "创建问卷", "More rows": "增加行",
    "A questionnaire is reused by survey after survey, so the half years can be compared. A ready-made one, or one already answered, is not changed: copy it and change the copy.":
        "问卷模板可在多次调查中重复使用，便于比较各半年度结果。预置问卷或已有答卷的问卷不能修改：请复制后修改副本。",
    "Questions": "题数", "No questionnaire yet.": "暂无问卷。",
}
