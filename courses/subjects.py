"""The catalogue's subject categories (RULES §5: 30+ subjects, a wide foundation plus local industries), seeded
by migration 0002 and restored by the demo city when a test flushed them. Append only: a code keeps its meaning."""

SUBJECTS = [
    ("political-theory", "政治理论"),
    ("party-building", "党的建设"),
    ("law", "法律法规"),
    ("public-management", "公共管理"),
    ("economy-trade", "经济贸易"),
    ("history-culture", "历史文化"),
    ("marxist-classics", "马克思主义经典著作"),
    ("party-history", "党史国史"),
    ("integrity", "党风廉政建设"),
    ("ideology", "意识形态工作"),
    ("macro-economy", "宏观经济"),
    ("public-finance", "财政金融"),
    ("urban-planning", "城乡规划建设"),
    ("rural-revitalisation", "乡村振兴"),
    ("ecology", "生态文明建设"),
    ("social-governance", "社会治理"),
    ("emergency-management", "应急管理"),
    ("public-health", "公共卫生"),
    ("education-science", "科技教育"),
    ("digital-government", "数字政府与信息化"),
    ("foreign-affairs", "国际形势与外事"),
    ("leadership", "领导科学与领导艺术"),
    ("psychology", "心理健康"),
    ("literature-arts", "文学艺术修养"),
    ("ethnic-religious", "民族宗教"),
    ("automotive", "汽车制造"),
    ("modern-agriculture", "现代农业"),
    ("hydropower", "水电开发"),
    ("biopharma", "生物制药"),
    ("tourism", "旅游经济"),
    ("equipment-manufacturing", "装备制造"),
    ("new-materials", "新材料"),
    ("logistics", "现代物流"),
]


def ensure_subjects() -> None:
    """Every subject of the list present (update_or_create by code), in the list's order."""
    from .models import Subject

    for order, (code, name) in enumerate(SUBJECTS, start=1):
        Subject.objects.update_or_create(code=code, defaults={"name": name, "order": order})
