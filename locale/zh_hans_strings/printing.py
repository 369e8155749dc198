"""Error pages and printed forms (issue 9, parts 3 and 6)."""

ZH = {
    # Error pages
    "Ways back": "返回",
    "Back to the home page": "返回首页",
    "If this keeps happening, tell the organization department's training section what you were doing.": "如果反复出现，请告诉市委组织部干部教育培训科您当时在做什么。",
    "Not allowed": "无权访问",
    "Your account may not open this page. If you need it for your work, ask the training section to give your "
    "account the role.": "您的账号无权打开此页面。如工作需要，请联系干部教育培训科为您的账号分配相应角色。",
    "The page has expired": "页面已过期",
    "The form was sent from a page that is too old or from another site, so nothing was saved. Go back, reload the "
    "page and send it again.": "表单来自过期的页面或其他网站，因此没有保存任何内容。请返回、刷新页面后重新提交。",
    "Page not found": "页面不存在",
    "There is no such page, or it is not one your account may see. Check the address, or start again from the home "
    "page.": "该页面不存在，或您的账号无权查看。请检查网址，或从首页重新进入。",
    "Too many requests": "请求过于频繁",
    "Too many requests came from this computer in a short time. Wait a few minutes and try again.": "这台电脑在短时间内发出的请求过多，请稍等几分钟再试。",
    "Something went wrong": "出错了",
    "The portal could not finish this request. Try again in a few minutes; if you were saving something, check "
    "first whether it was saved.": "系统未能完成这次请求。请过几分钟再试；如果您刚才在保存内容，请先查看是否已保存。",
    "A server error occurred. Try again in a few minutes.": "服务器出错，请过几分钟再试。",
}

ZH.update(
    {
        # Printed forms
        "Records": "条数",
        "Dates": "日期",
        "Each approved record is listed in the training archive.": "每条已通过的记录详见干部教育培训档案。",
        "page %(page)s of %(pages)s": "第 %(page)s / %(pages)s 页",
        # Download file names
        "%(year)s training credits": "%(year)s年度干部教育培训学分",
        "%(year)s training credit rankings": "%(year)s年度干部教育培训学分排名",
        "%(title)s (%(unit)s)": "%(title)s（%(unit)s）",
        "%(year)s registration form, %(name)s %(staff_no)s": "%(year)s年度考核登记表（%(name)s %(staff_no)s）",
        "Training archive, %(name)s %(staff_no)s": "干部教育培训档案（%(name)s %(staff_no)s）",
    }
)

ZH["%(kind)s import template"] = "%(kind)s导入模板"
