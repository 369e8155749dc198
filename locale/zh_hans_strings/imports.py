# zh_Hans for imports (/imports/, /api/v1/imports/): reading spreadsheets, the problems found by row and column,
# the import jobs and their pages.
ZH = {
    # the job
    "Imports": "数据导入", "import": "导入", "imports": "导入",
    "Units": "单位", "Officials": "干部", "Activity records": "学习记录",
    "Waiting": "等待中", "Problems found": "发现问题",
    "file": "文件", "file name": "文件名", "Activity records only.": "仅用于学习记录。", "dry run": "试导入",
    "progress": "进度", "rows": "行数", "created": "新增", "updated": "更新", "skipped": "跳过",
    "problems": "问题数", "problems found": "发现的问题", "Language of the problems' wording.": "问题说明所用语言。",
    # the file
    "The file is larger than %(mb)s MB. Split it into smaller files and import them one by one.":
        "文件超过 %(mb)s MB，请拆分为多个较小的文件分别导入。",
    "The file is empty.": "文件是空的。",
    "This is an old-style Excel file (.xls). Open it in Excel or WPS, save it as .xlsx (or CSV) and import that file.":
        "这是旧版 Excel 文件（.xls）。请在 Excel 或 WPS 中打开，另存为 .xlsx（或 CSV）后再导入。",
    "This file is not a spreadsheet we can read. Import an .xlsx or .csv file (download the template).":
        "无法识别该文件，它不是可导入的表格。请导入 .xlsx 或 .csv 文件（可下载导入模板）。",
    "The column “%(column)s” appears twice in the header row.": "表头中“%(column)s”列出现了两次。",
    "No header row found: none of the first %(n)s rows has the columns %(columns)s. Use the template, or put these headers in one row above the data.":
        "未找到表头：前 %(n)s 行中没有一行同时包含 %(columns)s 列。请使用导入模板，或在数据上方的同一行填写这些列名。",
    "The CSV file could not be read: %(error)s": "无法读取该 CSV 文件：%(error)s",
    "The file could not be read as an .xlsx workbook; it may be damaged. Save it again in Excel or WPS.":
        "无法按 .xlsx 工作簿读取该文件，文件可能已损坏。请在 Excel 或 WPS 中重新保存。",
    "The file has no data rows below the header.": "表头下方没有数据行。",
    # cells
    "This value is required.": "此项必填。",
    "The formula has no calculated value; save the file in Excel and import it again.":
        "公式没有计算结果，请在 Excel 中保存后再导入",
    "At most %(n)s characters.": "最多 %(n)s 个字。",
    "“%(value)s” is not a number.": "“%(value)s”不是数字。",
    "“%(value)s” is not a date; write it as 2025-03-05.": "“%(value)s”不是日期，请写成 2025-03-05 的格式。",
    "Write 是 (yes) or 否 (no), not “%(value)s”.": "请填写“是”或“否”，而不是“%(value)s”。",
    "More than one unit is called “%(value)s”; use the unit code.": "有多个单位名为“%(value)s”，请填写单位代码。",
    "This row could not be read.": "该行无法读取。",
    "Unknown kind “%(value)s”; see the codes sheet of the template.": "未知的学习类型“%(value)s”，请参见模板中的代码表。",
    "Unknown category “%(value)s”; see the codes sheet of the template.": "未知的类别“%(value)s”，请参见模板中的代码表。",
    "There is no unit “%(value)s”; use a unit code from the codes sheet.": "没有单位“%(value)s”，请填写代码表中的单位代码。",
    "Unknown rank “%(value)s”; see the codes sheet of the template.": "未知的职级“%(value)s”，请参见模板中的代码表。",
    "Unknown unit kind “%(value)s”; see the codes sheet of the template.":
        "未知的单位类型“%(value)s”，请参见模板中的代码表。",
    "There is no official with staff number “%(value)s”.": "没有工号为“%(value)s”的干部。",
    "Your unit has no official with staff number “%(value)s”.": "本单位没有工号为“%(value)s”的干部。",
    "Staff number %(no)s is %(name)s, not %(given)s.": "工号 %(no)s 的干部是%(name)s，不是%(given)s。",
    "A unit code has at most 32 letters, digits, “-” or “_”, without spaces.":
        "单位代码最多 32 位，只能包含字母、数字、“-”或“_”，不能有空格。",
    # rows
    "The date is not in %(year)s, the year being imported.": "日期不在导入的 %(year)s 年度内。",
    "Same as row %(row)s (same official, kind, date and quantity). If it happened twice, put it on one row with the quantities added up.":
        "与第 %(row)s 行重复（同一干部、类型、日期和数量）。如确有两次，请合并为一行并将数量相加。",
    "Same unit code as row %(row)s.": "与第 %(row)s 行的单位代码重复。",
    "There is no unit “%(value)s”.": "没有单位“%(value)s”。",
    "A unit cannot be its own parent.": "单位不能是自己的上级单位。",
    "The parent units go round in a circle.": "上级单位关系形成了循环。",
    "Same staff number as row %(row)s.": "与第 %(row)s 行的工号重复。",
    # who and how
    "Only unit study administrators and the training section import records.":
        "只有单位学习管理员和干部教育培训科可以导入学习记录。",
    "Unknown kind of import “%(kind)s”.": "未知的导入类型“%(kind)s”。",
    "Only a dry run without problems can be imported.": "只有试导入未发现问题的文件才能正式导入。",
    "The import failed unexpectedly: %(error)s": "导入意外失败：%(error)s",
    "The person who started this import no longer has an account.": "发起本次导入的人员账号已不存在。",
}
