# zh_Hans for accessibility (issue 15): the charts' figures as tables, their text alternative (portal/charts.py,
# templates/portal/_chart_table.html).
# fmt: off
ZH = {
    "The chart's figures as a table": "图表数据（表格）",
    "Pass rate": "合格率",
    "%(count)s (%(share)s)": "%(count)s（%(share)s）",
}
