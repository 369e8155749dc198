# zh_Hans for the reports: the year's workbook (city or unit), rankings, registration form and archive as PDF.
ZH = {
    "Unit code": "单位代码", "Reason for exemption": "免考原因", "Unit summaries": "单位汇总",
    "Number of officials": "干部人数", "Headcount": "人数", "Failed by a veto": "被一票否决",
    "%(item)s: passed": "%(item)s达标人数", "%(item)s: pass rate": "%(item)s达标率",
    "Central-group sessions held": "中心组学习次数", "Sessions required": "应达次数", "Sessions short": "尚差次数",
    "Mean total of the assessed": "参加考核人员平均总分",
    "There are no results for %(year)s: choose a year from %(first)s to %(last)s.":
        "没有 %(year)s 年度的考核结果：请选择 %(first)s 至 %(last)s 年之间的年度。",
    "Only the training section and unit study administrators may download reports.":
        "只有干部教育培训科和单位学习管理员可以下载报表。",
    "Download the year's report (Excel)": "下载年度报表（Excel）",
    "Download the rankings (Excel)": "下载排名（Excel）",
    "Download the unit's report (Excel)": "下载本单位年度报表（Excel）",
    "Page %(page)s": "第 %(page)s 页",
    "Download PDF": "下载 PDF",
}
