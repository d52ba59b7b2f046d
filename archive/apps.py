from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    """The credit archive (信用档案): interested parties' requests, decisions, read grants,
    the access log and proof files. It owns which archived records a requester may read."""

    name = "archive"
    verbose_name = _("Credit archive")
