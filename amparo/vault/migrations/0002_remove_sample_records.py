# The sample models of the benchmarks moved out of the vault (issue #16): a production
# database keeps no benchmark table.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('vault', '0001_initial'),
    ]

    operations = [
        migrations.DeleteModel(
            name='PlainSampleRecord',
        ),
        migrations.DeleteModel(
            name='SampleRecord',
        ),
    ]
