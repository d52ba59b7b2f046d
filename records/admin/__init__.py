from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from records.admin import accounts, audit, bad_records, bureaus, subjects  # noqa: F401

admin.site.site_header = _("Tourism bad-record disclosure · administration")
admin.site.site_title = _("Bad-record administration")
admin.site.index_title = _("Administration")
