# zh_Hans for the portal's frame: base layout, sign-in, roles, notifications, year lock and sessions.
ZH = {
    "Training credits": "培训学分",
    "A record cannot move to another official; delete it instead.": "记录不能转到其他干部名下，请删除后重新录入。",
    "central-group session": "中心组学习", "central-group sessions": "中心组学习", "topic": "主题",
    "published at": "发布时间", "published year": "已发布年度", "published years": "已发布年度",
    "Hash of the result; unchanged rows are not rewritten.": "结果摘要；未变化的行不重写。",
    "The results of %(year)s are published and locked; the training section must reopen the year first.":
        "%(year)s 年度结果已发布并锁定；须由干部教育培训科重新开放该年度后才能修改。",
    "%(year)s is already published.": "%(year)s 年度已发布。",
    "Give the reason for reopening the year.": "请填写重新开放该年度的原因。",
    "%(year)s is not published.": "%(year)s 年度尚未发布。",
    "Only the training section can change an approved or someone else's record.":
        "已通过的记录或他人录入的记录只能由干部教育培训科修改。",
    "You may only enter central-group sessions for your own unit.": "您只能录入本单位的中心组学习。",
    "Give the topic of the session.": "请填写学习主题。",
    "Choose at least one attendee.": "请至少选择一名参加人员。",
    "%(names)s cannot be both speaker and listener.": "%(names)s 不能同时是发言人和旁听人员。",
    "Not in this unit: %(names)s.": "不属于本单位：%(names)s。",
    "This session (same date and topic) is already entered.": "该次学习（同日期、同主题）已录入。",
    "Central-group session": "中心组学习",
    "Notifications": "消息通知", "Record approved": "记录已通过", "Record rejected": "记录被退回",
    "Behind pace on a pass line": "单项进度落后", "recipient": "接收人", "notification": "消息", "notifications": "消息",
    "Your record “%(kind)s” of %(date)s for %(official)s was approved.":
        "%(official)s %(date)s 的“%(kind)s”记录已审核通过。",
    "Your record “%(kind)s” of %(date)s for %(official)s was rejected: %(reason)s":
        "%(official)s %(date)s 的“%(kind)s”记录被退回：%(reason)s",
    "%(official)s is behind pace for %(year)s on: %(categories)s.": "%(official)s %(year)s 年度以下单项进度落后：%(categories)s。",
    "Portal": "门户", "Cadre training portal": "干部教育培训学分管理", "Skip to content": "跳到正文",
    "Main menu": "主菜单", "Menu": "菜单", "Change password": "修改密码", "Sign out": "退出登录",
    "Language": "语言", "Switch": "切换", "My credits": "我的学分", "My unit": "本单位", "Approval queue": "审核队列",
    "City dashboard": "全市概览", "Rankings": "排名", "Officials": "干部", "Years": "年度",
    "No role yet": "尚未分配角色",
    "Your account is not yet linked to an official, a unit or the training section. "
    "Ask the organization department's training section.": "您的账号尚未关联干部、单位或干部教育培训科，请联系市委组织部干部教育培训科。",
    "Too many attempts": "尝试次数过多", "Too many failed sign-in attempts": "登录失败次数过多",
    "For your security, sign-in for this account from this computer is paused. Try again in %(minutes)s minutes, "
    "or ask the training section to unlock it.": "为保障安全，本账号在此电脑上的登录已暂停。请 %(minutes)s 分钟后再试，或请干部教育培训科解锁。",
    "Sign in": "登录", "Username": "用户名", "Password": "密码",
    "Accounts are made by the organization department's training section. Forgot your password? "
    "Ask your unit's study administrator or the training section.": "账号由市委组织部干部教育培训科开设。忘记密码请联系本单位学习管理员或干部教育培训科。",
    "Password changed": "密码已修改", "Your password was changed.": "您的密码已修改。", "Back to the portal": "返回首页",
}
ZH.update({
    "Accounts": "账号管理",
    "Officials sign in with accounts made here (or by import). Give the initial password to the official in person; they change it after signing in.": "干部使用在此开设（或批量导入）的账号登录。请将初始密码当面交给本人，登录后自行修改。",
    "Account of %(name)s: username <strong>%(username)s</strong>, initial password": "%(name)s 的账号：用户名 <strong>%(username)s</strong>，初始密码",
    "This password is shown only once.": "该密码只显示这一次。",
    "Search": "查询", "Name, staff number or username": "姓名、工号或用户名", "Unit": "单位", "All units": "全部单位",
    "Staff number": "工号", "Name": "姓名", "Role": "角色", "Actions": "操作", "Study administrator": "学习管理员",
    "Official": "干部", "Create account": "开设账号", "Reset password": "重置密码",
    "Dismiss as study administrator": "取消学习管理员", "Appoint study administrator of the unit": "设为本单位学习管理员",
    "No officials match.": "没有符合条件的干部。", "Pages": "分页", "Previous": "上一页", "Next": "下一页",
    "Unknown action.": "未知操作。",
    "%(name)s already has an account.": "%(name)s 已有账号。", "The username “%(u)s” is taken.": "用户名“%(u)s”已被使用。",
    "Account created": "开设账号", "%(name)s has no account yet.": "%(name)s 还没有账号。", "Password reset": "重置密码",
    "Create an account for %(name)s first.": "请先为 %(name)s 开设账号。",
    "%(name)s is not a study administrator.": "%(name)s 不是学习管理员。",
})
