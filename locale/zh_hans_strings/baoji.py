# zh_Hans for the baoji-2009 credit policy (credits/rules/baoji_2009.py, RULES §2: 宝鸡市干部教育培训学分制管理办法)
# and the words every policy shares (credits/rules/common.py). Terms follow the seed: 基本学分、附加学分、奖励学分, 合格/不合格.
ZH = {
    # the policy, its categories and kinds
    "Baoji training credit scheme (2009)": "宝鸡市干部教育培训学分制管理办法（2009）",
    "Basic credits": "基本学分",
    "Additional credits": "附加学分",
    "Reward credits": "奖励学分",
    "Online course passed by its exam": "网络选学科目（考试合格）",
    "Year of degree study": "在职学历学位进修（每年）",
    "Doctorate obtained": "取得博士学位",
    "Master's degree obtained": "取得硕士学位或研究生毕业",
    "Bachelor's degree obtained": "取得学士学位或本科毕业",
    "Published book, sole author": "出版学术著作（独著）",
    "Published book, co-author": "出版学术著作（合著）",
    "Published book, contributor": "出版学术著作（参与编写）",
    "Published article, sole author": "公开发表文章（独撰）",
    "Published article, co-author": "公开发表文章（合撰）",
    "Award at city level or above, first prize": "市级以上表彰奖励（一等奖）",
    "Award at city level or above, second prize": "市级以上表彰奖励（二等奖）",
    "Award at city level or above, third prize": "市级以上表彰奖励（三等奖）",
    "Award at city level or above, honourable mention": "市级以上表彰奖励（优秀奖）",
    # units: what one unit of quantity is (read in "每%(unit)s计 …")
    "passed course": "门",
    "year of degree study": "年",
    "degree obtained": "个",
    "published book": "部",
    "published article": "篇",
    "award received": "项",
    # flags
    "Not eligible for promotion: needs two assessed years in a row passed": "不能列为考察对象：须连续两年学分制考核合格",
    "A third or more of the unit's officials failed: its leadership team cannot be rated “advanced”": "学分考核不合格人数达三分之一以上：班子年度考核不能评为“先进”",
    # rules in words
    "Counted per %(unit)s: %(rate)s credits each.": "每%(unit)s计 %(rate)s 学分。",
    "%(rate)s credits per %(unit)s for a training of at least %(days)s days whose class result is passed; the approver may set fewer for attendance or performance.": "培训 %(days)s 天以上（含 %(days)s 天）且考核合格的，每%(unit)s计 %(rate)s 学分；审核时可根据出勤和学习表现核减。",
    "The course's credits, %(min)s to %(max)s, once its exam is passed.": "考试合格后按课程计 %(min)s–%(max)s 学分。",
    "%(rate)s credits for each year of degree study in progress, from admission.": "在职学历学位进修，自取得入学通知书起每年计 %(rate)s 学分。",
    "%(rate)s credits in the year the degree is obtained.": "取得学位证书当年计 %(rate)s 学分。",
    # record problems
    "The credits set must be more than 0 and at most %(max)s (%(rate)s a day).": "核定学分须大于 0 且不超过 %(max)s（每天 %(rate)s 学分）。",
    "One online course a record: the quantity must be 1.": "每条记录填写一门课程：数量须为 1。",
    "An online course needs its credits, %(min)s to %(max)s.": "网络选学科目须填写课程学分（%(min)s–%(max)s）。",
    "The course's credits must be from %(min)s to %(max)s.": "课程学分须在 %(min)s 至 %(max)s 之间。",
    "Credits are set only for training class days and online courses.": "只有培训班和网络选学科目可以填写学分。",
    # explanation
    "Trainings of fewer than %(days)s days score 0: %(count)s records, %(quantity)s days.": "不足 %(days)s 天的培训不计学分：%(count)s 条记录，共 %(quantity)s 天。",
    "Class days credited below the standard of %(rate)s a day, as the approver set: %(count)s records, %(below)s credits less.": "培训学分经审核核减（标准为每天 %(rate)s 学分）：%(count)s 条记录，共少计 %(below)s 学分。",
    "%(carry)s credits carried over from %(year)s count toward this year.": "%(year)s 年度超额的 %(carry)s 学分计入本年度。",
    "Not assessed this year: the %(carry)s credits carried in pass on to %(year)s.": "本年度免于考核：结转的 %(carry)s 学分原数计入 %(year)s 年度。",
    "%(carry)s credits above the line of %(line)s carry over to %(year)s.": "超出 %(line)s 学分的 %(carry)s 学分计入 %(year)s 年度。",
    "The five-year figure starts again in %(year)s: %(before)s was not assessed under this policy.": "五年累计学分自 %(year)s 年度重新计算：%(before)s 年度未按本办法考核。",
    "Five-year cycle %(first)s–%(last)s: %(earned)s credits so far; %(need)s are needed by the end of %(last)s.": "%(first)s—%(last)s 年考核周期：已累计 %(earned)s 学分，%(last)s 年底前须达到 %(need)s 学分。",
    "Five-year cycle %(first)s–%(last)s: %(earned)s credits, reaching the %(need)s needed.": "%(first)s—%(last)s 年考核周期：累计 %(earned)s 学分，达到 %(need)s 学分，合格。",
    "Five-year cycle %(first)s–%(last)s: %(earned)s credits, short of the %(need)s needed.": "%(first)s—%(last)s 年考核周期：累计 %(earned)s 学分，未达到 %(need)s 学分，不合格。",
    # shared by every policy (credits/rules/common.py) and kunshan-2020's rule words of the Policy interface
    "%(kind)s: %(count)s records are kept but not counted under this year's policy.": "“%(kind)s”%(count)s 条记录予以保留，但不计入本年度考核办法的学分。",
    "Points set case by case by the training section, under the category it chooses.": "由干部教育培训科酌情赋分，计入其选定的类别。",
}
