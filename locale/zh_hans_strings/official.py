# zh_Hans for the official's pages (我的学分, 申报, 撤回, 考核登记表, 培训档案) and the credits template helpers.
ZH = {
    # credits_tags: grades, vetoes, flags, units, rules in words
    "Excellent": "优秀", "Good": "良好", "Pass": "合格", "Fail": "不合格",
    "Menu-style lectures below the pass line": "“菜单式”选学未达合格线",
    "Online study below the pass line": "网络学习未达合格线",
    "Failed two years running: political health check rated “sub-healthy”": "连续两年不合格：政治体检直接评定为“亚健康”",
    "Not eligible for “excellent” in this year's appraisal": "年度考核不得评优",
    "class day": "天", "class speech": "次", "written reflection": "篇", "month of secondment": "个月", "lecture": "次",
    "class hour": "学时", "confirmed year": "年", "attended session": "次", "endorsed report": "篇",
    "written paper": "篇", "taught topic": "个专题", "teaching session": "场", "discretionary item": "项",
    "Counted per %(unit)s: %(rate)s points each.": "每%(unit)s计 %(rate)s 分。",
    "At most %(cap)s points a year.": "全年最多计 %(cap)s 分。",
    "Counts only when the class result is passed.": "培训班考核合格方可计分。",
    "A secondment shorter than %(months)s months scores 0.": "挂职不足 %(months)s 个月的不计分。",
    "pts": "分", "pass line %(line)s": "合格线 %(line)s 分",
    "The city training office's menu-style lectures were %(count)s short of the number required.":
        "市干教办“菜单式”讲座比要求少 %(count)s 次。",
    "Attend %(count)s more city training office menu-style lectures.": "还需参加 %(count)s 次市级“菜单式”讲座。",
    "Menu-style lectures were %(points)s points short of the pass line of %(line)s.":
        "“菜单式”选学差 %(points)s 分未达合格线（%(line)s 分）。",
    "Menu-style lectures: %(points)s more points to the pass line of %(line)s (about %(count)s city lectures).":
        "“菜单式”选学还差 %(points)s 分达到合格线 %(line)s 分（约 %(count)s 次市级讲座）。",
    "Online study was %(points)s points short of the pass line of %(line)s.":
        "网络学习差 %(points)s 分未达合格线（%(line)s 分）。",
    "Online study: %(points)s more points to the pass line of %(line)s (about %(count)s class hours).":
        "网络学习还差 %(points)s 分（约 %(count)s 学时）达到合格线 %(line)s 分。",
    "%(points)s more points to %(grade)s (and both pass lines must be met).":
        "距%(grade)s还差 %(points)s 分（且须达到两项合格线）。",
    "%(points)s more points to %(grade)s.": "距%(grade)s还差 %(points)s 分。",
    "Behind pace for the date (%(elapsed)s%% of the year gone) on: %(categories)s.":
        "按时间进度（全年已过 %(elapsed)s%%），以下单项进度落后：%(categories)s。",
    "Included among city-managed cadres in month %(month)s: %(months)s assessable months, so each category was "
    "converted to a full year (factor %(factor)s).":
        "%(month)s 月新纳入市管，考核期 %(months)s 个月，各类别按全年折算（折算系数 %(factor)s）。",
    "%(quantity)s class days scored 0: the class result was not passed.": "培训班考核不合格，%(quantity)s 天不计分。",
    "%(quantity)s of %(kind)s scored 0 (a secondment shorter than %(months)s months).":
        "“%(kind)s”%(quantity)s 个月不计分（挂职不足 %(months)s 个月）。",
    "%(kind)s: at most %(cap)s points a year; %(cut)s points above that do not count.":
        "“%(kind)s”全年最多计 %(cap)s 分，超出的 %(cut)s 分不计。",
    "%(category)s: %(sum)s points converted to %(converted)s.": "%(category)s：%(sum)s 分折算为 %(converted)s 分。",
    "%(category)s: the category counts at most %(cap)s points; %(cut)s points above that do not count.":
        "%(category)s：本类别最多计 %(cap)s 分，超出的 %(cut)s 分不计。",
    "Total": "总分", "Exempt": "免于考核",
    "Kunshan annual training credit assessment (2020)": "昆山市干部教育培训学分制考核办法（2020）",
    # the declaration form
    "What you attended or did": "申报类型", "Quantity": "数量",
    "Days, times or months, depending on the kind (see the scoring rules).": "天数、次数或月数，视类型而定（见计分标准）。",
    "Date": "日期", "The day it happened (for a class, its last day).": "发生日期（培训班填结业日期）。",
    "I passed the class assessment": "培训班考核合格",
    "Training class days count only when the class result is passed.": "参加培训班须考核合格方可计分。",
    "Note": "备注", "The class, course, paper title or organiser, so the reviewer can find it.":
        "培训班名称、课程、论文题目或主办单位等，便于审核。",
    "Evidence": "佐证材料",
    "A certificate, notice or the paper itself: PDF, JPEG or PNG, at most 10 MB.":
        "结业证书、通知或论文原文等：PDF、JPEG 或 PNG 格式，不超过 10 MB。",
    "Attach the evidence (PDF, JPEG or PNG).": "请上传佐证材料（PDF、JPEG 或 PNG）。",
    # views
    "There is no year “%(value)s” to show; showing %(year)s.": "没有“%(value)s”年度的数据，现显示 %(year)s 年度。",
    "Your declaration “%(kind)s” of %(date)s was submitted; the training section will review it.":
        "%(date)s 的“%(kind)s”申报已提交，等待干部教育培训科审核。",
    "Your declaration “%(kind)s” of %(date)s was withdrawn.": "%(date)s 的“%(kind)s”申报已撤回。",
    # 我的学分
    "My credits, %(year)s": "%(year)s 年度我的学分", "Declare training": "申报学分", "Registration form": "考核登记表",
    "Training archive": "培训档案", "staff no.": "工号", "Year": "年度",
    "Scores are being updated: a recent change is not counted yet. Reload the page in a moment.":
        "学分正在更新：最近的变动尚未计入，请稍后刷新页面。",
    "Nothing approved has been scored for this year yet, so every category shows 0.":
        "本年度尚无已审核通过并计分的记录，各类别暂按 0 分显示。",
    "Credits by category": "各类别学分", "Result of the year": "年度考核结果", "So far this year": "本年度截至目前",
    "Exempt from assessment": "免于考核", "currently %(grade)s": "目前%(grade)s",
    "Your credits are shown, but there is no grade or rank this year.": "学分照常显示，本年度不评定等次、不参加排名。",
    "Rank %(city)s of %(city_total)s in the city, %(unit)s of %(unit_total)s in your unit.":
        "全市排名第 %(city)s 名（共 %(city_total)s 人），本单位第 %(unit)s 名（共 %(unit_total)s 人）。",
    "Veto (the grade is fail whatever the total)": "一票否决（无论总分多少，等次均为不合格）",
    "Pass lines": "单项合格线", "What is still missing": "还差什么",
    "Both pass lines (menu-style lectures and online study) are met.": "“菜单式”选学和网络学习两项合格线均已达到。",
    "At the current pace the year would end at about %(total)s points, grade %(grade)s.":
        "按目前进度，预计全年约 %(total)s 分，等次为%(grade)s。",
    "How caps and rules changed your points": "计分说明（上限与规则的影响）",
    "%(counter)s record this year": "本年度共 %(counter)s 条记录", "%(counter)s records this year": "本年度共 %(counter)s 条记录",
    "%(counter)s waiting for review": "%(counter)s 条待审核",
    "Categories": "类别", "Kind": "类型", "Status": "状态", "Actions": "操作",
    "No records for this year yet.": "本年度暂无记录。", "Year by year": "历年学分", "Grade": "等次",
    "City rank": "全市排名", "Unit rank": "单位排名", "Print": "打印",
    "Total per year; guides at 60 (pass), 75 (good) and 90 (excellent).": "历年总分；参考线为 60 分（合格）、75 分（良好）、90 分（优秀）。",
    "Rejected because: %(reason)s": "退回原因：%(reason)s",
    "Exempt: %(reason)s (%(note)s).": "免于考核：%(reason)s（%(note)s）。", "Exempt: %(reason)s.": "免于考核：%(reason)s。", "View": "查看",
    "Withdraw this declaration? It will not be reviewed.": "确定撤回这条申报吗？撤回后将不再审核。",
    "Withdraw": "撤回",
    # 申报 page
    "Breadcrumb": "导航路径",
    "Declare off-job training or self-study with its evidence. The training section reviews it; it counts once approved. "
    "You can withdraw it until then.": "申报脱产培训或在职自学，并上传佐证材料。干部教育培训科审核通过后计入学分；审核前可以撤回。",
    "Please correct the fields marked below; nothing was saved.": "请修改下方标出的内容，本次未保存任何数据。",
    "(optional)": "（选填）", "Choose the file again after a correction.": "修改后请重新选择文件。",
    "Submit for review": "提交审核", "Cancel": "取消", "How declared training scores": "计分标准", "Scoring": "计分",
    "Off-job training counts up to 15 points a year and self-study up to 10. Menu-style lectures, online study and "
    "central-group study are entered by the organisers and your unit; you do not declare them.":
        "脱产培训全年最多计 15 分，在职自学最多计 10 分。“菜单式”选学、网络学习和集中研学由主办方和本单位录入，无需个人申报。",
    # print pages
    "Back": "返回", "Prints on A4 paper; choose “portrait” in the print dialog.": "按 A4 纸打印，请在打印设置中选择“纵向”。",
    "No.": "序号", "Category": "类别", "No approved records.": "无已通过的记录。",
    "Registration form %(year)s, %(name)s": "%(name)s %(year)s 年度考核登记表",
    "Annual appraisal registration form for cadres": "干部年度考核登记表",
    "Education and training section · %(year)s": "教育培训情况 · %(year)s 年度",
    "Scores are being updated: a recent change is not counted yet.": "学分正在更新：最近的变动尚未计入。",
    "The results of this year are not yet published by the training section; for reference only.":
        "本年度结果尚未由干部教育培训科发布，仅供参考。",
    "Name": "姓名", "Staff no.": "工号", "Unit": "单位", "Post level": "职级", "Ranking": "排名", "Assessment year": "考核年度",
    "Assessment rules": "考核办法", "Cap": "上限", "Pass line": "合格线", "Score": "得分", "Line met": "是否达标",
    "Yes": "是", "No": "否", "Not assessed yet": "尚未评定", "Veto": "一票否决", "None": "无",
    "Consequences": "结果运用", "City %(city)s, unit %(unit)s": "全市第 %(city)s 名，本单位第 %(unit)s 名",
    "Approved training record (%(counter)s)": "已通过的学习记录（%(counter)s 条）",
    "Approved training records (%(counter)s)": "已通过的学习记录（%(counter)s 条）",
    "Signatures": "签字确认", "Official's signature": "本人签字", "Unit's opinion (seal)": "单位意见（盖章）",
    "Organization department's review": "组织部门审核意见", "Date:": "日期：",
    "Printed from the cadre training portal on %(printed)s.": "打印自干部教育培训学分管理系统，%(printed)s。",
    "Training archive, %(name)s": "%(name)s 培训档案", "Cadre training archive": "干部教育培训档案",
    "Results by year": "历年考核结果", "Approved records": "已通过记录", "Year %(y)s": "%(y)s 年度",
    "No training on record yet.": "暂无培训记录。",
    "%(count)s approved records in all. Printed from the cadre training portal on %(printed)s.":
        "共 %(count)s 条已通过的记录。打印自干部教育培训学分管理系统，%(printed)s。",
}
