from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_subject_export"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="subjectexport",
            options={
                "ordering": ["-at"],
                "permissions": [
                    ("export_subject", "可在管理后台导出某证件号码的全部个人信息"),
                ],
                "verbose_name": "个人信息导出记录",
                "verbose_name_plural": "个人信息导出记录",
            },
        ),
    ]
