# zh_Hans for the training organisation's models (courses/models.py, courses/apps.py): 培训班, 学员, 名额, 备案,
# 师资库, 菜单式选学 as in the seed (002_…).
ZH = {
}
