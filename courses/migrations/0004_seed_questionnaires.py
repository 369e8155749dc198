"""The ready-made questionnaires: the training needs survey and the class evaluation (RULES §5)."""

from django.db import migrations

# The definitions live in courses/questionnaire_data.py.
from courses.questionnaire_data import QUESTIONNAIRES, ensure_questionnaires  # noqa: E402


def seed(apps, schema_editor):
    ensure_questionnaires(apps.get_model("courses", "Questionnaire"), apps.get_model("courses", "Question"))


def unseed(apps, schema_editor):
    codes = [definition["code"] for definition in QUESTIONNAIRES]
    apps.get_model("courses", "Questionnaire").objects.filter(code__in=codes, builtin=True).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_surveys_and_follow_up")]
    operations = [migrations.RunPython(seed, unseed)]
