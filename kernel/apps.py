from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    """The shared kernel: audit trail, job outbox, private files, identifiers, names and
    service errors. It imports no other app of the project; the apps above it register what
    it needs from them (job handlers) when they start."""

    name = "kernel"
    verbose_name = _("Audit trail and background jobs")

    def ready(self) -> None:
        from kernel import checks  # noqa: F401 - registers the security checks
