# zh_Hans for issue 9 (4, 5): risk and shortfall words naming the exact cause, re-declaring a returned record, the
# duplicate warning, grouped notifications and grade changes, the central-group session page.
ZH = {
    # risk words (credits.standing causes, portal/views/unit.py)
    "City lectures: %(have)s, %(short)s more needed": "市级讲座 %(have)s 次，还需 %(short)s 次",
    "%(category)s: %(have)s points, %(short)s more needed": "%(category)s %(have)s 分，还需 %(short)s 分",
    "%(cause)s (behind pace)": "%(cause)s（落后进度）",
}
ZH.update(
    {
        # notifications
        "Records approved together": "记录批量审核通过",
        "Grade changed": "考核等次变化",
        "%(names)s and %(n)s more (%(total)s in all)": "%(names)s 等 %(total)s 人",
        "%(n)s attendance records of the central-group session “%(topic)s” of %(date)s were approved (%(names)s).": "%(date)s 中心组学习“%(topic)s”的 %(n)s 条参学记录已审核通过（%(names)s）。",
        "%(n)s imported records of %(year)s were approved (%(names)s).": "%(year)s 年度导入的 %(n)s 条记录已审核通过（%(names)s）。",
        "Your grade for %(year)s changed from %(old)s to %(new)s.": "您 %(year)s 年度的考核等次由“%(old)s”变为“%(new)s”。",
        "no grade (exempt)": "无等次（免于考核）",
    }
)
ZH.update(
    {
        # re-declaring a returned record, the duplicate warning
        "Only whoever declared a record, or the official it is for, can declare it again.": "只有申报人或记录所属干部本人可以重新申报。",
        "Only a returned record can be corrected and declared again.": "只有已退回的记录可以修改后重新申报。",
        "The returned record's evidence is gone; attach it again.": "已退回记录的佐证材料已不存在，请重新上传。",
        "Re-declared from record %(id)s (returned: %(reason)s)": "由第 %(id)s 号记录修改后重新申报（退回原因：%(reason)s）",
        "It is a different activity: declare it anyway": "这是另一次活动，仍要申报",
        "Leave empty to keep the evidence of the returned record, or choose a new PDF, JPEG or PNG file (at most 10 MB).": "不选择文件则沿用已退回记录的佐证材料；也可重新选择 PDF、JPEG 或 PNG 文件（不超过 10 MB）。",
        "You already have %(n)s record of this kind on this date:": "您在该日期已有 %(n)s 条同类记录：",
        "You already have %(n)s records of this kind on this date:": "您在该日期已有 %(n)s 条同类记录：",
        "If it is the same activity, do not declare it twice. If it is a different one, tick the box and submit.": "如是同一次活动，请勿重复申报；如是另一次活动，请勾选下框后提交。",
        "Nothing was saved yet: tick the box to declare it anyway.": "尚未保存：如确需申报，请勾选上框后再提交。",
        "Choose the evidence file again.": "请重新选择佐证材料文件。",
        "Correct and declare again": "修改后重新申报",
        "Your declaration “%(kind)s” of %(date)s was returned: %(reason)s": "您 %(date)s 的“%(kind)s”申报已被退回：%(reason)s",
        "The form is filled in from it: correct what the reason asks for and submit. A new declaration waits for review; the returned one stays in your records as returned.": "表单已按原记录填好：请按退回原因修改后提交。新的申报等待审核，原记录仍以“已退回”保留在您的记录中。",
        "The returned record's evidence": "已退回记录的佐证材料",
    }
)
ZH.update(
    {
        # the central-group session page
        "Already approved, so only the training section can change or remove it: %(names)s.": "以下人员的记录已审核通过，只能由干部教育培训科修改或删除：%(names)s。",
        "Choose at least one attendee; to remove the whole session, delete it.": "请至少选择一名参加人员；如需取消整次学习，请删除该次学习。",
        "Removed from the central-group session": "从中心组学习中移除",
        "Central-group session corrected": "中心组学习已更正",
        "Added to the central-group session": "补录为中心组学习参加人员",
        "Records of this session are already approved (%(names)s); only the training section can delete it.": "该次学习已有记录审核通过（%(names)s），只能由干部教育培训科删除。",
        "Central-group session deleted": "中心组学习已删除",
        "No such session in this unit.": "本单位没有这次学习。",
        "Delete the session “%(topic)s” of %(date)s and its %(n)s attendance records?": "确定删除 %(date)s 的中心组学习“%(topic)s”及其 %(n)s 条参学记录吗？",
        "Session “%(topic)s” corrected.": "已更正中心组学习“%(topic)s”。",
        "Session “%(topic)s” of %(date)s deleted with its %(n)s attendance records.": "已删除 %(date)s 的中心组学习“%(topic)s”及其 %(n)s 条参学记录。",
        "Back to the unit's sessions": "返回本单位中心组学习",
        "%(n)s attendance record": "%(n)s 条参学记录",
        "%(n)s attendance records": "%(n)s 条参学记录",
        "Role": "角色",
        "Spoke (2 points)": "发言（2 分）",
        "Listened (1 point)": "不发言（1 分）",
        "Correct the session": "更正本次学习",
        "Change the date or topic, switch speakers and listeners, tick a latecomer or untick someone who did not attend. New attendance records wait for the training section's review; scores follow once approved.": "可修改日期或主题、调整发言与不发言人员、补勾漏录人员或取消未参加人员。新增的参学记录等待干部教育培训科审核，审核通过后计入学分。",
        "Records already approved can only be changed or removed by the training section.": "已审核通过的记录只能由干部教育培训科修改或删除。",
        "Save the corrections": "保存更正",
        "Delete this session": "删除本次学习",
        "For a session entered by mistake: its attendance records are deleted with it.": "用于删除误录的学习，其参学记录将一并删除。",
    }
)
ZH.update(
    {
        "%(name)s already has %(n)s record of this kind on this date:": "%(name)s 在该日期已有 %(n)s 条同类记录：",
        "%(name)s already has %(n)s records of this kind on this date:": "%(name)s 在该日期已有 %(n)s 条同类记录：",
    }
)
ZH.update(
    {
        "%(official)s is behind pace for %(year)s: %(causes)s.": "%(official)s %(year)s 年度进度落后：%(causes)s。",
    }
)
