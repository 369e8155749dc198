# zh_Hans for report exports (/reports/exports/, /api/v1/exports/): the export job, its page and its errors.
# fmt: off
ZH = {
    "Report exports": "报表导出", "Year report": "年度报表", "Rankings": "排名",
    "Waiting to start": "等待开始", "Being built": "正在生成", "Ready": "已生成",
    "Empty: the city.": "留空表示全市。", "The language of the workbook's labels.": "工作簿标签所用语言。",
    "Rows written so far.": "已写入的行数。", "Last sign of life of the build.": "生成任务最近一次报告进度的时间。",
    "The workbook could not be built: %(error)s": "工作簿生成失败：%(error)s",
    "the account that asked for it no longer exists.": "申请导出的账号已不存在。",
    "This workbook is not ready.": "该工作簿尚未生成。",
    "This workbook is not ready: its status is “%(status)s”.": "该工作簿尚未生成，当前状态为“%(status)s”。",
    "The workbook is ready (%(counter)s row).": "工作簿已生成（共 %(counter)s 行）。",
    "Download %(filename)s": "下载 %(filename)s",
    "The workbook could not be built.": "工作簿生成失败。",
    "Try again later, or ask the administrator to look at the worker log.": "请稍后重试，或请系统管理员查看后台任务日志。",
    "Workbook progress": "工作簿生成进度",
    "Writing the workbook: %(counter)s row so far…": "正在生成工作簿：已写入 %(counter)s 行……",
    "The workbook waits for the background worker…": "工作簿正在等待后台任务处理……",
    "%(kind)s of %(year)s: %(unit)s": "%(year)s 年度%(kind)s：%(unit)s",
    "%(kind)s of %(year)s: the city": "%(year)s 年度%(kind)s：全市",
}
# fmt: on
