# zh_Hans for issue 9 (1, 2): published (locked) years locked in the interface, confirmations with counts, revoking
# or correcting an approved record, restoring a removed decision. Wording: 发布（锁定）, 重新开放, 撤销审核, 更正.
# fmt: off
ZH = {
    # Publishing: what still waits
    "%(n)s record waiting for review": "%(n)s 条记录待审核",
    "%(n)s import not finished": "%(n)s 个导入尚未完成",
    "%(n)s score waiting to be updated": "%(n)s 个学分结果待更新",
    "; ": "；",
    "%(year)s cannot be published yet: %(waiting)s. Clear them first, or publish anyway and give the reason.":
        "%(year)s 年度暂不能发布：%(waiting)s。请先处理完毕，或填写原因后仍然发布。",
    "%(year)s cannot be published yet:": "%(year)s 年度暂不能发布：",
    "Review the waiting records in the queue": "到审核队列处理待审核记录",
    "Reason for publishing anyway": "仍然发布的原因",
    "Give the reason for publishing while something still waits.": "尚有事项未处理，仍要发布请填写原因。",
    "Publish anyway": "仍然发布",
    "Publish %(year)s? %(counter)s result will be locked with its records and decisions.":
        "确定发布 %(year)s 年度？%(counter)s 个学分结果及其记录、认定事项将被锁定。",
    "Publish %(year)s although %(waiting)s? %(counter)s result will be locked.":
        "%(waiting)s，仍要发布 %(year)s 年度？%(counter)s 个学分结果将被锁定。",
    "Reopen %(year)s? Its %(counter)s result can be changed again until it is published again.":
        "确定重新开放 %(year)s 年度？其 %(counter)s 个学分结果在再次发布前可以修改。",
    # Revoke and correct an approved record
    "Give the reason for revoking the approval.": "请填写撤销审核的原因。",
    "Give the reason for correcting the record.": "请填写更正原因。",
    "Only an approved record can be corrected here; this one is %(status)s.": "只能更正已通过的记录；该记录状态为“%(status)s”。",
    "Nothing was changed: the corrected values are the same as the record's.": "未作任何修改：更正后的内容与原记录相同。",
    "Only the training section revokes or corrects an approved record.": "只有干部教育培训科可以撤销或更正已通过的记录。",
    "Only an approved record can be revoked; this one is %(status)s.": "只能撤销已通过的记录；该记录状态为“%(status)s”。",
    "Reason for revoking the approval": "撤销审核原因",
    "e.g. the certificate belongs to another class": "例如：证书属于其他培训班",
    "Reason for the correction": "更正原因",
    "The approval of %(kind)s of %(date)s is revoked; the record no longer counts and %(name)s is told.":
        "已撤销 %(date)s“%(kind)s”的审核：该记录不再计分，并已通知%(name)s。",
    "%(kind)s of %(date)s is corrected; the scores are being recomputed.": "%(date)s“%(kind)s”已更正，学分正在重新计算。",
    "Correct": "更正", "Revoke": "撤销",
    "Revoke an approval": "撤销审核", "Correct an approved record": "更正已通过的记录",
    "The record will no longer count: %(name)s's %(year)s score is recomputed, and %(name)s is told the reason and may correct the record and declare it again.":
        "该记录将不再计分：重新计算%(name)s %(year)s 年度学分，并告知%(name)s撤销原因，其可修改后重新申报。",
    "The record keeps counting with the corrected values; %(name)s's score is recomputed and the change is kept with its reason in the audit trail.":
        "该记录按更正后的内容计分；重新计算%(name)s的学分，修改内容及原因记入审计记录。",
    "Revoke the approval": "撤销审核", "Save the correction": "保存更正",
    # Decisions: no preselected reason, confirmations, undo
    "— choose the reason —": "— 请选择原因 —",
    "Choose the reason for the exemption.": "请选择免于考核的原因。",
    "Choose the reason for the veto.": "请选择一票否决的原因。",
    "Exempt %(name)s from the %(year)s assessment? %(name)s gets no grade and no rank for %(year)s.":
        "确定%(name)s %(year)s 年度免于考核？%(name)s该年度将不评定等次、不参加排名。",
    "Record a veto for %(name)s in %(year)s? %(name)s's grade becomes “fail” whatever the total.":
        "确定对%(name)s %(year)s 年度一票否决？无论总分多少，%(name)s的等次都将为“不合格”。",
    "Remove the exemption of %(name)s for %(year)s (%(reason)s)? %(name)s is assessed and graded again. It can be restored for a day.":
        "确定删除%(name)s %(year)s 年度的免于考核（%(reason)s）？%(name)s将重新参加考核和评定等次。一天内可以恢复。",
    "Remove the veto of %(name)s for %(year)s (%(reason)s)? The grade follows the total again. It can be restored for a day.":
        "确定删除%(name)s %(year)s 年度的一票否决（%(reason)s）？等次将重新按总分评定。一天内可以恢复。",
    "Removed in the last day": "一天内删除的认定", "Exemption": "免于考核", "Restore": "恢复",
    "Restored: %(what)s of %(year)s (%(reason)s).": "已恢复：%(year)s 年度%(what)s（%(reason)s）。",
    "This removal cannot be undone.": "该删除无法恢复。",
    "This removal is too old to undo; record the decision again instead.": "删除已超过一天，无法恢复；请重新认定。",
    # Bulk approval
    "Approve {count} selected records? They will count in the officials' scores at once.":
        "确定批量通过所选的 {count} 条记录？通过后立即计入干部学分。",
    "Approve 1 selected record? It will count in the official's scores at once.":
        "确定通过所选的 1 条记录？通过后立即计入干部学分。",
    # Pages that write records
    "%(years)s is published and locked: records dated in it cannot be declared, entered or imported until the training section reopens the year.":
        "%(years)s 年度已发布并锁定：日期在该年度的记录不能申报、录入或导入，须由干部教育培训科重新开放该年度。",
    "The year is published: this declaration can no longer be withdrawn.": "该年度已发布：此申报不能再撤回。",
}
