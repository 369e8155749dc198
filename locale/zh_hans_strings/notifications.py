# zh_Hans for notifications: the page, e-mails and the mid-year behind-pace warning.
ZH = {
    "Mark all read": "全部标为已读",
    "Show": "显示",
    "All": "全部",
    "Unread": "未读",
    "Pages": "分页",
    "Newer": "上一页",
    "Older": "下一页",
    "Page %(number)s of %(pages)s": "第 %(number)s / %(pages)s 页",
    "No unread notifications.": "没有未读消息。",
    "No notifications yet. You will find here the results of reviews and reminders about your credits.": "暂无消息。申报的审核结果和学分进度提醒会显示在这里。",
    "%(count)d notification marked read.": "%(count)d 条消息已标为已读。",
    "See it in the cadre training portal: %(link)s": "请登录干部教育培训学分管理系统查看：%(link)s",
    "This message was sent automatically; please do not reply.": "此邮件由系统自动发送，请勿回复。",
}
