"""Names of the audit actions the records app writes, as staff read them (registered with
the kernel in RecordsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "record_create": _("created"),
    "record_update": _("edited"),
    "record_submit": _("submitted for review"),
    "record_return": _("returned to the filer"),
    "record_publish": _("approved and published"),
    "record_withdraw": _("withdrawn"),
    "record_correct": _("corrected"),
    "record_delete_draft": _("draft deleted"),
    "record_start": _("publication started on its scheduled day"),
    "record_archive": _("publication period ended; moved to the archive"),
    "record_objection_mark": _("objection filed; flagged while it is handled"),
    "record_objection_clear": _("objection answered; flag removed"),
    "record_end_early": _("left the public list early (credit repaired)"),
    "evidence_add": _("evidence added"),
    "record_deadline_recomputed": _("deadline counted again on the corrected working-day calendar"),
    "demo_backdate": _("back-dated (demo data only)"),
    "operator_create": _("operator entered"),
    "operator_update": _("operator edited"),
    "practitioner_create": _("practitioner entered"),
    "practitioner_update": _("practitioner edited"),
    "account_create": _("staff account created"),
    "account_password_set": _("password set"),
    "bureau_rename": _("bureau renamed"),
}
