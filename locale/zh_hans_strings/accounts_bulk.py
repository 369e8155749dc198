# zh_Hans for accounts in bulk (账号管理 /staff/accounts/), the forced change of initial passwords and the officials
# list's account, grade and exempt filters. Official wording: 账号, 初始密码, 工号, 等次, 免于考核.
# fmt: off
ZH = {
    # The officials list's filters (organisation/filtersets.py)
    "No account": "无账号", "Has an account": "有账号", "No result yet": "暂无结果", "Account": "账号",
    # Models
    "password set at": "密码设置时间", "password change required": "须修改密码", "password changes required": "须修改密码",
    "initial password sheet": "初始密码表", "initial password sheets": "初始密码表",
    # The workbook of initial passwords
    "Initial passwords": "初始密码", "Initial password": "初始密码",
    "Give each official their password in person; it must be changed at the first sign-in.":
        "请将密码当面交给干部本人；首次登录时必须修改密码。",
    "initial-passwords-%(label)s-%(day)s.xlsx": "初始密码-%(label)s-%(day)s.xlsx", "accounts": "账号",
    "all-units": "全部单位",
    # The forced change
    "Your password was set by the training section: change it before you continue.":
        "您的密码由干部教育培训科设置，请先修改密码再继续使用。",
    # 账号管理: bulk creation and the one download
    "There is no unit with code “%(code)s”.": "没有代码为“%(code)s”的单位。",
    "This password file was already downloaded (or is older than a day) and is no longer kept. Reset the password of any official who still needs one.":
        "该密码文件已下载过（或已超过一天），不再保存。如有干部仍需密码，请为其重置密码。",
    "%(counter)s account created.": "已创建 %(counter)s 个账号。",
    "No account was made for these officials: their staff number is already another account's username.":
        "以下干部未创建账号：其工号已被其他账号用作用户名。",
    "Download the initial passwords (xlsx)": "下载初始密码（xlsx）",
    "The file can be downloaded only once; it is then deleted and the passwords are kept nowhere in clear. Every official must change the password at the first sign-in.":
        "该文件只能下载一次，下载后即删除，系统不再以明文保存这些密码。每名干部首次登录时必须修改密码。",
    "Create accounts in bulk": "批量创建账号", "Every official without an account in": "为以下范围内所有无账号的干部创建账号",
    "%(name)s (%(counter)s without an account)": "%(name)s（%(counter)s 人无账号）",
    "Create accounts": "创建账号",
    "Usernames are the staff numbers. The initial passwords come as one xlsx file, downloadable once.":
        "用户名为工号。初始密码汇总为一个 xlsx 文件，只能下载一次。",
    # The officials import's option
    "create accounts": "创建账号", "Officials only: an account for each official without one.": "仅限干部导入：为每名无账号的干部创建账号。",
    "Create accounts for the officials in the file who have none": "为文件中无账号的干部创建账号",
    "Officials only. The initial passwords come as one xlsx file, downloadable once.":
        "仅限干部导入。初始密码汇总为一个 xlsx 文件，只能下载一次。",
    "The file's officials without an account will get one; their initial passwords come as one xlsx file, downloadable once.":
        "导入时将为文件中无账号的干部创建账号；初始密码汇总为一个 xlsx 文件，只能下载一次。",
    "Accounts were created for the file's officials who had none.": "已为文件中无账号的干部创建账号。",
}
