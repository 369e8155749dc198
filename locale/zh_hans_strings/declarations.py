# zh_Hans for issue 9 (4, 5): risk and shortfall words naming the exact cause, re-declaring a returned record, the
# duplicate warning, grouped notifications and grade changes, the central-group session page.
ZH = {
    # risk words (credits.standing causes, portal/views/unit.py)
    "City lectures: %(have)s, %(short)s more needed": "市级讲座 %(have)s 次，还需 %(short)s 次",
    "%(category)s: %(have)s points, %(short)s more needed": "%(category)s %(have)s 分，还需 %(short)s 分",
    "%(cause)s (behind pace)": "%(cause)s（落后进度）",
}
ZH.update({
    # notifications
    "Records approved together": "记录批量审核通过",
    "Grade changed": "考核等次变化",
    "%(names)s and %(n)s more (%(total)s in all)": "%(names)s 等 %(total)s 人",
    "%(n)s attendance records of the central-group session “%(topic)s” of %(date)s were approved (%(names)s).":
        "%(date)s 中心组学习“%(topic)s”的 %(n)s 条参学记录已审核通过（%(names)s）。",
    "%(n)s imported records of %(year)s were approved (%(names)s).":
        "%(year)s 年度导入的 %(n)s 条记录已审核通过（%(names)s）。",
    "Your grade for %(year)s changed from %(old)s to %(new)s.": "您 %(year)s 年度的考核等次由“%(old)s”变为“%(new)s”。",
    "no grade (exempt)": "无等次（免于考核）",
})
