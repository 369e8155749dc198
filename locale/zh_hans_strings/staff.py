# zh_Hans for the training section's pages (/staff/): approval queue, officials and decisions, dashboard, rankings,
# years. Official wording: 学分, 申报, 审核, 退回, 酌情赋分, 免于考核, 一票否决, 等次, 中心组学习.
# fmt: off
ZH = {
    # Filters (shared with the API's FilterSet)
    "Staff number": "工号", "Official (name or staff number)": "干部（姓名或工号）", "Unit": "单位", "Kind": "类型",
    "Category": "类别", "Status": "状态", "Source": "来源", "Year": "年度", "All units": "全部单位",
    "All kinds": "全部类型", "All categories": "全部类别", "All statuses": "全部状态", "All sources": "全部来源",
    "Date from": "起始日期", "Date to": "截止日期",
    # Forms
    "Reason for rejection": "退回原因", "e.g. no certificate of the class result": "例如：缺少培训班考核合格证明",
    "Select at least one record to approve.": "请至少勾选一条要审核通过的记录。",
    "The selection is not valid; reload the page and try again.": "所选记录无效，请刷新页面后重试。",
    "Counts under": "计入类别", "Points": "分值", "What was learned": "学习内容",
    "More than 0 and at most %(max)s.": "大于 0 且不超过 %(max)s 分。",
    "The date must be in %(year)s, the year shown.": "日期须在当前显示的 %(year)s 年度内。",
    "Reason": "原因", "Note": "备注",
    "Required for “other”: describe the case the organization department decided.":
        "选择“市委组织部认定的其他情况”时必填，请说明具体情况。",
    "Reason for reopening": "重新开放原因", "Name or staff number": "姓名或工号",
    # Tables
    "Select": "选择", "Official": "干部", "Quantity / points": "数量/分值", "Date": "日期", "Declared by": "申报人",
    "Evidence": "佐证材料", "Review": "审核", "No records match these filters.": "没有符合筛选条件的记录。",
    "Name": "姓名", "Post rank": "职级", "Total": "总分", "Grade": "等次", "Exempt": "免于考核",
    "No official matches the search.": "没有符合条件的干部。", "City rank": "全市排名", "Unit rank": "单位内排名",
    "No assessed official has a score for this year yet.": "该年度尚无参加考核干部的学分结果。",
    "Assessed": "参加考核", "Menu pass rate": "“菜单式”选学达标率", "Online pass rate": "网络学习达标率",
    "Failed": "不合格", "Central-group sessions": "中心组学习次数",
    "No unit has assessed officials this year.": "该年度没有单位有参加考核的干部。",
    "Previous": "上一页", "Next": "下一页", "Pages": "分页",
    # Messages
    "“%(value)s” is not a year that can be shown; showing %(year)s.": "“%(value)s”不是可显示的年度，现显示 %(year)s 年度。",
    "%(points)s discretionary points recorded for %(name)s.": "已为%(name)s酌情赋分 %(points)s 分。",
    "%(name)s is exempt from the %(year)s assessment: %(reason)s.": "%(name)s %(year)s 年度免于考核：%(reason)s。",
    "Veto recorded for %(name)s in %(year)s: %(reason)s. The grade is “fail”.":
        "已记录%(name)s %(year)s 年度一票否决：%(reason)s。考核等次为“不合格”。",
    "Removed: %(what)s of %(year)s (%(reason)s).": "已撤销 %(year)s 年度的%(what)s（%(reason)s）。",
    "%(count)s record approved.": "已审核通过 %(count)s 条记录。",
    "%(count)s selected record no longer waits for review and was left as it is.":
        "所选记录中有 %(count)s 条已不在待审核状态，未作改动。",
    "Approved: %(official)s, %(kind)s of %(date)s.": "已通过：%(official)s %(date)s 的“%(kind)s”。",
    "Rejected: %(official)s, %(kind)s of %(date)s. The declarer is told why.":
        "已退回：%(official)s %(date)s 的“%(kind)s”。已将退回原因告知申报人。",
    "The year must be between %(first)s and next year.": "年度须在 %(first)s 年至明年之间。",
    "%(year)s is published: its records and decisions are locked until the year is reopened.":
        "%(year)s 年度结果已发布：该年度的记录和认定事项已锁定，重新开放前不能修改。",
    "%(year)s is reopened; the reason is logged.": "%(year)s 年度已重新开放，原因已记录。",
    # Queue
    "Approval queue": "审核队列", "Select %(name)s: %(kind)s": "选择 %(name)s：%(kind)s",
    "Another record of the same official, kind and date is waiting or approved.":
        "同一干部同一日期已有同类型的待审核或已通过记录。",
    "Suspected duplicate": "疑似重复", "%(points)s points": "%(points)s 分", "Class result not passed": "培训考核未合格",
    "View PDF": "查看 PDF", "(opens in a new tab)": "（在新标签页打开）", "View image": "查看图片", "None": "无",
    "Approve": "通过", "Reject…": "退回…", "Reject": "退回", "Reject record": "退回该记录", "Cancel": "取消",
    "Reject a record": "退回记录", "The declarer sees the reason with the record and in a notification.":
        "申报人会在记录和消息通知中看到退回原因。",
    "%(counter)s record matches": "共 %(counter)s 条记录", "Filters": "筛选条件", "Filter": "筛选",
    "Clear filters": "清除筛选", "Select all waiting records on this page": "全选本页待审核记录",
    "Approve selected": "批量通过所选记录",
    "another record of the same official, kind and date is waiting or approved: check before approving.":
        "同一干部同一日期已有同类型的待审核或已通过记录，请核实后再审核。",
    "Close": "关闭", "Open in a new tab": "在新标签页打开",
    # Recompute
    "Recompute of %(year)s": "%(year)s 年度重新计算",
    "Recompute of %(year)s done: %(counter)s official.": "%(year)s 年度重新计算完成：共 %(counter)s 名干部。",
    "Recompute of %(year)s failed; try again, or ask the administrator to look at the worker log.":
        "%(year)s 年度重新计算失败，请重试，或请系统管理员查看后台任务日志。",
    "Recomputing %(year)s…": "正在重新计算 %(year)s 年度…",
    "Recompute of %(year)s is waiting for the worker…": "%(year)s 年度重新计算正在排队等待后台处理…",
    "Reload to see the progress": "刷新页面查看进度",
    # Dashboard
    "City dashboard": "全市概览", "City dashboard, %(year)s": "%(year)s 年度全市概览", "Show": "查看",
    "Assessed officials": "参加考核干部", "Exempt from assessment": "免于考核", "Vetoes recorded": "一票否决记录",
    "%(counter)s official failed by a veto (recorded or a missed pass line)":
        "%(counter)s 名干部因一票否决评为不合格（含单项未达标）",
    "Records waiting for review": "待审核记录", "Open the queue": "进入审核队列", "Grade distribution": "等次分布",
    "Officials": "干部", "Share of the assessed": "占参加考核人数比例",
    "Units short of %(required)s central-group sessions": "中心组学习不足 %(required)s 次的单位",
    "%(counter)s unit has held fewer sessions than required in %(year)s.":
        "%(year)s 年度有 %(counter)s 个单位中心组学习次数未达到要求。",
    "Held": "已开展", "Short by": "还差", "Every unit has held the required sessions.": "各单位中心组学习次数均已达到要求。",
    "Pass rates by unit": "各单位单项达标率",
    "Share of each unit's assessed officials who met the pass line of menu-style lectures (24 points and the city "
    "lectures) and of online study (25 points). Click a heading to sort.":
        "各单位参加考核干部中“菜单式”选学达标（24 分且市级讲座次数达到要求）和网络学习达标（25 分）的比例。点击表头可排序。",
    # Officials
    "%(name)s, %(year)s": "%(name)s · %(year)s 年度", "Breadcrumb": "导航路径", "Registration form": "考核登记表",
    "Training archive": "培训档案", "staff no.": "工号",
    "The results of %(year)s are published and locked: nothing of this year can change until the year is reopened.":
        "%(year)s 年度结果已发布并锁定：重新开放该年度前，不能修改该年度的任何内容。",
    "Scores are being updated: a recent change is not counted yet. Reload the page in a moment.":
        "学分正在更新，最近的改动尚未计入，请稍后刷新页面。",
    "Result of the year": "年度结果", "pts": "分", "No score stored for this year yet.": "该年度尚无学分结果。",
    "City rank %(city)s, unit rank %(unit)s.": "全市排名第 %(city)s，单位内排名第 %(unit)s。",
    "Veto (the grade is fail whatever the total)": "一票否决（无论总分多少，等次均为不合格）",
    "Both pass lines (menu-style lectures and online study) are met.": "“菜单式”选学和网络学习两个单项均已达标。",
    "Exemption from assessment": "免于考核", "Remove": "撤销", "Record exemption": "认定免于考核",
    "Vetoes recorded by the training section": "干部教育培训科认定的一票否决", "None recorded.": "暂无。",
    "Record veto": "认定一票否决", "Discretionary points": "酌情赋分",
    "Other learning, scored case by case by the training section; the points count under the chosen category's cap.":
        "其他学习情况，由干部教育培训科酌情赋分；分值计入所选类别，受该类别上限约束。",
    "Add points": "赋分", "%(counter)s record in %(year)s": "%(year)s 年度共 %(counter)s 条记录",
    "%(counter)s waiting for review: open in the queue": "%(counter)s 条待审核：在审核队列中查看",
    "No records in this year.": "该年度暂无记录。", "%(counter)s official found": "共找到 %(counter)s 名干部",
    "Search": "查询",
    # Rankings
    "Rankings": "排名", "Rankings, %(year)s": "%(year)s 年度排名",
    "Assessed officials only: exempt officials have no rank. Equal totals share a rank and the next rank is skipped.":
        "仅含参加考核的干部，免于考核的干部不排名。总分相同名次并列，其后名次顺延。",
    # Years
    "Years": "年度",
    "Recompute a year after a change of rules or data; publish a year when its results are final (its records and "
    "decisions are then locked); reopen it, with a reason, to correct something.":
        "规则或数据变动后可重新计算年度学分；结果确定后发布年度（该年度的记录和认定事项随即锁定）；如需更正，填写原因后重新开放。",
    "Published · locked": "已发布 · 已锁定", "Not published": "未发布", "%(counter)s score stored": "已有 %(counter)s 条学分结果",
    "%(counter)s assessed": "其中参加考核 %(counter)s 人",
    "%(counter)s score waiting to be updated": "%(counter)s 条学分结果等待更新",
    "%(counter)s record still waiting for review": "还有 %(counter)s 条记录待审核",
    "Published %(when)s by %(who)s": "%(who)s 于 %(when)s 发布", "Last recompute %(when)s: %(state)s": "最近一次重新计算 %(when)s：%(state)s",
    "Recompute": "重新计算", "Publish %(year)s? Its records and decisions will be locked.":
        "确定发布 %(year)s 年度结果？发布后该年度的记录和认定事项将被锁定。",
    "Publish (lock)": "发布（锁定）", "Reopen the year": "重新开放该年度", "No year has scores yet.": "暂无任何年度的学分结果。",
    "Reopening log": "重新开放记录", "Reopened at": "重新开放时间", "By": "操作人", "No year has been reopened.": "暂无重新开放记录。",
}
# fmt: on
