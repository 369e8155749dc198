"""The catalogue's subject categories (RULES §5: 30+ subjects, a wide foundation plus local industries)."""

from django.db import migrations

# The list lives in courses/subjects.py (append only: a code once seeded keeps its meaning).
from courses.subjects import SUBJECTS  # noqa: E402


def seed(apps, schema_editor):
    Subject = apps.get_model("courses", "Subject")
    for order, (code, name) in enumerate(SUBJECTS, start=1):
        Subject.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    apps.get_model("courses", "Subject").objects.filter(code__in=[code for code, _name in SUBJECTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
