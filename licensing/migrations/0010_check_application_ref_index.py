"""The applicant-check search (check number, application reference or part of the name) is
one OR of three conditions; the application reference had no index, so PostgreSQL could not
combine the other two's indexes and read every check (66 ms over a city's 4,800 checks among
200,000). With it the search is a union of three index look-ups."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0009_check_filter_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="applicantcheck",
            index=models.Index(fields=["application_ref"], name="lic_check_app_ref_idx"),
        ),
    ]
