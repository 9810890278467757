"""Consultation.status and Referral.state become protected django-fsm fields (no SQL: data kept)."""

import django_fsm
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("firstquestion", "0002_move_status_lookups_to_the_limiter"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consultation",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("answered", "已解答"),
                    ("referred", "已转办"),
                    ("returned", "转办退回，待首问责任人处理"),
                    ("application", "待窗口收件"),
                    ("case", "已转为办件"),
                ],
                editable=False,
                max_length=16,
                protected=True,
                verbose_name="状态",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="state",
            field=django_fsm.FSMField(
                choices=[
                    ("pending", "待签收"),
                    ("acknowledged", "已签收，办理中"),
                    ("answered", "已答复"),
                    ("case", "已转为办件"),
                    ("declined", "已退回首问责任人"),
                ],
                editable=False,
                max_length=16,
                protected=True,
                verbose_name="状态",
            ),
        ),
    ]
