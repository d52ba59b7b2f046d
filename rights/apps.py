from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    """The listed subject's rights: notice of publication, objections (异议), credit repair
    and early removal, and the subject's own view of its records."""

    name = "rights"
    verbose_name = _("Subject's rights")
