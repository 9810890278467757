import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cases', '0001_initial'),
        ('viewflow', '0015_task_scheduled'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseProcess',
            fields=[
                ('process_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='viewflow.process')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='process', to='cases.case', verbose_name='办件')),
            ],
            options={
                'verbose_name': '办件流程',
                'verbose_name_plural': '办件流程',
                'permissions': [('officer_task', '办理部门经办环节'), ('head_task', '审批部门负责人环节'), ('window_task', '办理窗口出件环节')],
                'default_permissions': ('add', 'change', 'delete', 'view', 'manage'),
            },
            bases=('viewflow.process',),
        ),
    ]
