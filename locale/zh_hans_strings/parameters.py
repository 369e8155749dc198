# zh_Hans for checked parameters (issue 8): the years the portal accepts, publishing or reopening a year.
ZH = {
    "The year must be a whole number between %(first)s and %(last)s.": (
        "年度必须是 %(first)s 至 %(last)s 之间的四位整数。"
    ),
    "Only a year from %(first)s to %(this)s can be published or reopened; %(year)s cannot.": (
        "只能发布或重新开放 %(first)s 至 %(this)s 年之间的年度；%(year)s 年度不可以。"
    ),
    "No such page.": "没有这个页面。",
    "The address contains a null character (%00); no parameter may contain one.": (
        "地址中含有空字符（%00）；任何参数都不能包含空字符。"
    ),
    "Write true or false.": "请填写 true 或 false。",
}
