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
    # the API
    "An .xlsx or .csv file with a header row.": "带表头行的 .xlsx 或 .csv 文件。",
    "Check only, write nothing (the default).": "只检查、不写入（默认）。",
    "Activity records: the year they belong to.": "学习记录所属年度。",
    "The year cannot be in the future.": "年度不能晚于今年。",
    # the template
    "The official's staff number.": "干部工号。",
    "Optional: checked against the staff number.": "选填：用于核对工号。",
    "A kind from the codes sheet: its Chinese name or its code.": "代码表中的学习类型：填中文名称或代码均可。",
    "How many (days, class hours, lectures, months…; see the codes sheet), more than 0 and at most %(max)s, one decimal at most.":
        "数量（天数、学时、次数、月数等，见代码表），大于 0 且不超过 %(max)s，最多一位小数。",
    "The date it happened, in the year imported, e.g. %(year)s-03-05.": "学习日期，须在导入年度内，例如 %(year)s-03-05。",
    "Optional: the class, lecture or topic.": "选填：培训班、讲座或主题。",
    "Discretionary points only: the category they count under.": "仅酌情赋分填写：计入的类别。",
    "Discretionary points only: more than 0 and at most %(max)s.": "仅酌情赋分填写：大于 0 且不超过 %(max)s。",
    "Training class days only: 是 or 否 (empty means 是).": "仅培训班（天）填写：是或否（不填视为是）。",
    "The official's name.": "干部姓名。",
    "The unit's code (or its exact name) from the codes sheet.": "代码表中的单位代码（或完整的单位名称）。",
    "Optional: a rank from the codes sheet.": "选填：代码表中的职级。",
    "Optional: the date the official became city-managed; empty means long ago.":
        "选填：纳入市管干部的日期；不填表示早已纳入。",
    "Optional: the retirement date.": "选填：退休日期。",
    "Letters, digits, - or _; at most 32.": "字母、数字、- 或 _，最多 32 位。",
    "The unit's full name.": "单位全称。",
    "Optional: a unit kind from the codes sheet (city department when empty).":
        "选填：代码表中的单位类型（不填为市级部门）。",
    "Optional: the code of the unit above it (in the system or in this file).":
        "选填：上级单位代码（系统中已有或本文件中的单位）。",
    "Required. ": "必填。",
    "chosen": "由审核人选定", "Kinds": "学习类型", "counted per": "计量单位", "how it scores": "计分办法",
    "Officials of your unit": "本单位干部", "Ranks": "职级", "Unit kinds": "单位类型", "unit kind": "单位类型",
    "Units already in the system": "系统中已有的单位",
    "Fill in the sheet “%(sheet)s” from row 2, one row per record; keep the header row.":
        "请在“%(sheet)s”工作表第 2 行起填写，每条记录一行；保留表头行。",
    "Red headers are required. A header may also be the code name (e.g. staff_no, kind, quantity).":
        "红色列名为必填项。列名也可以用代码名（如 staff_no、kind、quantity）。",
    "The header may be in any of the first %(n)s rows; rows above it (a title) are ignored, and so are blank rows and columns the import does not know.":
        "表头可以在前 %(n)s 行中的任意一行；表头上方的行（如标题）、空行以及无法识别的列都会被忽略。",
    "Save as .xlsx or CSV (UTF-8 or the GBK that Excel and WPS use); an old .xls file must be saved as .xlsx.":
        "请保存为 .xlsx 或 CSV（UTF-8，或 Excel、WPS 默认的 GBK 编码）；旧版 .xls 文件须另存为 .xlsx。",
    "Always check the file first: the check lists every problem by row and column and writes nothing. Nothing is imported unless every row is right.":
        "请先检查文件：检查会按行、列列出所有问题，且不写入任何数据。只有每一行都正确，才会导入。",
    "Dates: 2025-03-05, 2025/3/5, 2025年3月5日, 20250305 or a date cell; all in the year being imported and not in the future.":
        "日期可写作 2025-03-05、2025/3/5、2025年3月5日、20250305 或日期格式单元格；须在导入年度内，且不晚于今天。",
    "A row equal to a record already on record (same official, kind, date and quantity) is skipped, so importing the same file again adds nothing twice.":
        "与已有记录相同（同一干部、类型、日期和数量）的行会被跳过，因此重复导入同一文件不会重复添加记录。",
    "Records imported by a unit study administrator wait for review; those imported by the training section are approved at once.":
        "单位学习管理员导入的记录须等待审核；干部教育培训科导入的记录直接通过。",
    "A row for a code already in the system updates it; an unchanged row is skipped.":
        "系统中已有的代码按本行内容更新；内容未变的行会被跳过。",
    # the pages
    "What to import": "导入内容", "Activity records only: every date must be in this year.": "仅学习记录：所有日期须在该年度内。",
    "Spreadsheet file": "表格文件",
    "An .xlsx or .csv file with a header row, e.g. the template filled in.": "带表头行的 .xlsx 或 .csv 文件，例如填好的导入模板。",
    "Checked: no problems": "检查通过", "Import progress": "导入进度",
    "Reading and checking the file…": "正在读取并检查文件……",
    "The file is large; it waits for the background worker…": "文件较大，正在等待后台处理……",
    "Refresh": "刷新", "No problems found.": "未发现问题。",
    "%(counter)s row checked.": "共检查 %(counter)s 行。",
    "%(counter)s new row will be added.": "将新增 %(counter)s 行。",
    "%(counter)s row will update what is on record.": "将更新已有的 %(counter)s 行。",
    "%(counter)s row is already on record and will be skipped.": "%(counter)s 行与已有记录相同，将跳过。",
    "Import %(counter)s row": "确认导入 %(counter)s 行",
    "There is nothing new to import.": "没有需要导入的新内容。", "Check another file": "检查其他文件",
    "Imported.": "导入完成。", "%(counter)s row added.": "新增 %(counter)s 行。",
    "%(counter)s row updated.": "更新 %(counter)s 行。",
    "%(counter)s row already on record, skipped.": "%(counter)s 行与已有记录相同，已跳过。",
    "The records are approved; the scores are being recomputed.": "记录已通过，学分正在重新计算。",
    "The records wait for the training section's review.": "记录等待干部教育培训科审核。",
    "Import another file": "导入其他文件", "The import failed.": "导入失败。",
    "Nothing was written. Try again; if it fails again, tell the system administrator.":
        "未写入任何数据。请重试；如仍失败，请联系系统管理员。",
    "%(counter)s problem found; nothing was written.": "发现 %(counter)s 个问题，未写入任何数据。",
    "Correct the file and check it again.": "请修改文件后重新检查。",
    "The first %(shown)s of %(total)s problems.": "共 %(total)s 个问题，以下为前 %(shown)s 个。",
    "Every problem, by row and column.": "按行、列列出的全部问题。",
    "Row": "行", "Column": "列", "Problem": "问题", "Check a corrected file": "检查修改后的文件",
    "Rows already on record (skipped)": "与已有记录相同的行（已跳过）",
    "Check the file first: the check lists every problem by row and column and writes nothing. When it finds none, import the file with one click. Nothing is imported unless every row is right, and importing the same file again adds nothing twice.":
        "请先检查文件：检查会按行、列列出所有问题，且不写入任何数据；没有问题后，一键确认导入。只有每一行都正确才会导入，重复导入同一文件不会重复添加。",
    "Check a file": "检查文件", "Check the file": "检查文件", "Templates": "导入模板",
    "Chinese headers, a codes sheet (kinds, categories, units) with drop-down lists, and the instructions. The code names (staff_no, kind, quantity, occurred_on, note; category and points for discretionary points) work as headers too.":
        "模板含中文表头、代码表（学习类型、类别、单位，可下拉选择）和填写说明。列名也可使用代码名（staff_no、kind、quantity、occurred_on、note；酌情赋分另有 category、points）。",
    "Template: %(label)s": "模板：%(label)s", "Recent imports": "最近的导入",
    "When": "时间", "What": "内容", "File": "文件", "Rows": "行数", "New": "新增", "Skipped": "跳过",
    "Problems": "问题", "Nothing imported yet.": "尚无导入记录。",
    "Check: %(kind)s": "检查：%(kind)s", "Import: %(kind)s": "导入：%(kind)s", "year %(year)s": "%(year)s 年度",
    # limits of a file (issue 8: imports/limits.py, imports/xlsx_checks.py)
    "This cell holds an invisible NUL character (code 0), which cannot be stored. Retype the cell and save the file again.":
        "该单元格含有不可见的空字符（NUL，编码 0），无法保存。请重新输入该单元格后再保存文件。",
    "A quote mark (\") opens this cell and is not closed where the cell ends, so lines %(first)s to %(last)s of the file would run together into one row. Remove the quote mark, or close it at the end of the cell.":
        "该单元格以英文引号（\"）开头，但在单元格结尾处没有闭合，文件第 %(first)s 至 %(last)s 行会被连成一行。请删除该引号，或在单元格末尾补上引号。",
    "This cell holds %(chars)s characters; a cell may hold at most %(n)s (Excel's own limit).":
        "该单元格有 %(chars)s 个字符，一个单元格最多 %(n)s 个字符（Excel 自身的上限）。",
    "Row %(row)s has %(cells)s cells; a row may have at most %(n)s. Delete the columns that are not imported and save again.":
        "第 %(row)s 行有 %(cells)s 个单元格，每行最多 %(n)s 个。请删除不需要导入的列后重新保存。",
    "Row %(row)s, column %(column)s: %(problem)s": "第 %(row)s 行 %(column)s 列：%(problem)s",
    "The workbook's texts take %(mb)s MB unpacked; at most %(n)s MB is read. Split it into smaller files and import them one by one.":
        "工作簿中的文字解压后达 %(mb)s MB，最多读取 %(n)s MB。请拆分为多个较小的文件分别导入。",
    "The file has more than %(n)s rows of data; split it into files of at most %(n)s rows and import each.":
        "文件的数据超过 %(n)s 行，请拆分为每个不超过 %(n)s 行的文件分别导入。",
    "The .xlsx file holds %(parts)s parts; a workbook has at most %(n)s. Save it again in Excel or WPS.":
        "该 .xlsx 文件包含 %(parts)s 个组成部分，工作簿最多 %(n)s 个。请在 Excel 或 WPS 中重新保存。",
    "Unpacked, the .xlsx file would take %(mb)s MB; at most %(n)s MB is read. Split it into smaller files, or delete unused sheets, pictures and formatting, and save again.":
        "该 .xlsx 文件解压后达 %(mb)s MB，最多读取 %(n)s MB。请拆分为较小的文件，或删除不用的工作表、图片和格式后重新保存。",
    "The workbook holds more than %(n)s different texts; split it into smaller files and import them one by one.":
        "工作簿中不同的文字超过 %(n)s 条，请拆分为多个较小的文件分别导入。",
    "The sheet “%(sheet)s” merges %(cells)s cells in %(ranges)s ranges; at most %(n)s merged cells are read. Unmerge the cells (Home → Merge & Center) and save again.":
        "工作表“%(sheet)s”有 %(ranges)s 处合并单元格，共合并 %(cells)s 个单元格，最多读取 %(n)s 个。请取消合并（开始 → 合并后居中）后重新保存。",
    "The sheet “%(sheet)s” says it spans %(ref)s: %(rows)s rows and %(columns)s columns; at most %(n)s rows and %(m)s columns are read. If the rows or columns past your data are empty, delete them (select them, right-click, Delete) and save again; else split the file.":
        "工作表“%(sheet)s”标明的范围是 %(ref)s：%(rows)s 行、%(columns)s 列，最多读取 %(n)s 行、%(m)s 列。如数据之外的行或列是空的，请选中后右键删除再保存；否则请拆分文件。",
    "The file is packed suspiciously tightly (its part %(part)s unpacks to %(ratio)s times its size, at most %(n)s), as harmful “zip bomb” files are, so it is not read. Save it again in Excel or WPS.":
        "该文件的压缩比异常（其中 %(part)s 解压后是压缩大小的 %(ratio)s 倍，上限为 %(n)s 倍），与有害的“压缩炸弹”文件相同，因此不予读取。请在 Excel 或 WPS 中重新保存。",
    "A part of the .xlsx file (%(part)s) is %(mb)s MB unpacked; at most %(n)s MB is read. Delete unused styles, pictures or sheets and save again.":
        "该 .xlsx 文件中的 %(part)s 解压后达 %(mb)s MB，最多读取 %(n)s MB。请删除不用的样式、图片或工作表后重新保存。",
    "The sheet “%(sheet)s” has more than %(n)s merged ranges. Unmerge the cells (Home → Merge & Center) and save again.":
        "工作表“%(sheet)s”的合并单元格超过 %(n)s 处。请取消合并（开始 → 合并后居中）后重新保存。",
    "Row %(row)s has a value in column %(column)s; a row may have at most %(n)s cells. Delete the columns that are not imported and save again.":
        "第 %(row)s 行的 %(column)s 列有内容，每行最多 %(n)s 个单元格。请删除不需要导入的列后重新保存。",
    "The check stopped at row %(row)s after finding more than %(n)s problems; correct these and check the file again.":
        "检查到第 %(row)s 行时已发现超过 %(n)s 个问题，已停止检查。请先修改这些问题，再重新检查文件。",
    "More than %(n)s formulas in the file have no calculated value. Open it in Excel or WPS, let it calculate, save it and import it again.":
        "文件中超过 %(n)s 个公式没有计算结果。请在 Excel 或 WPS 中打开，待其计算后保存，再重新导入。",
    "The styles, names and other parts of the .xlsx file take %(mb)s MB unpacked together; at most %(n)s MB is read. Delete unused styles, names, pictures or sheets and save again.":
        "该 .xlsx 文件的样式、名称等组成部分解压后共 %(mb)s MB，最多读取 %(n)s MB。请删除不用的样式、名称、图片或工作表后重新保存。",
    # kunshan_training/years.py (shared; here so `make messages` passes on this branch: drop on merge if another
    # table carries it)
    # imports/services.py: a file that stopped its worker IMPORT_MAX_ATTEMPTS times
    "The import stopped unexpectedly %(count)s time; check the file or ask the administrator.":
        "导入已 %(count)s 次意外中断；请检查文件或联系管理员。",
}
