"""The shape of a disclosed record in the open-data API: exactly the published fields, the
ground, the publishing bureau and its region code. Nothing is written through them."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import serializers

from records.published_fields import Published, Reading, published_values

# Where a record's public page is; its reference follows.
DETAIL_PATH = "/disclosures/"


class BureauSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 2260 division code of the bureau's region")
    name = serializers.CharField(help_text="The bureau")
    region = serializers.CharField(help_text="The region's name")


# Writes a moment as DRF does (ISO 8601 in the current time zone); one instance for all rows.
_MOMENT = serializers.DateTimeField()


class DisclosureSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Stable identifier, kept across corrections")
    subject_type = serializers.CharField(help_text="operator or practitioner")
    name = serializers.CharField(source="subject_name")
    sector = serializers.CharField(help_text="Operators: the sector; empty for practitioners")
    practitioner_kind = serializers.CharField(help_text="Practitioners: guide, tour_leader, …")
    licence_no = serializers.CharField(help_text="Travel agency licence number, if any")
    certificate_no = serializers.CharField(help_text="Practising certificate number, if any")
    business_address = serializers.CharField()
    legal_representative = serializers.CharField()
    ground = serializers.CharField(help_text="G1–G7")
    ground_label = serializers.CharField(source="get_ground_display")
    cause = serializers.CharField()
    penalty_decision = serializers.CharField()
    complaint_result = serializers.CharField()
    public_from = serializers.DateField(help_text="First day of publication")
    public_until = serializers.DateField(help_text="Last day of publication")
    version = serializers.IntegerField(help_text="Increases with every correction")
    updated_at = serializers.DateTimeField()
    publishing_bureau = BureauSerializer()
    url = serializers.URLField(help_text="The record's page on this portal")

    def to_representation(self, record: Published) -> dict[str, Any]:
        # Read from records.published_fields, not field by field: DRF's machinery costs more
        # than the page's queries. The declared fields above describe the shape in the
        # OpenAPI schema and give the keys' order; tests/data/disclosure_api_record.json and
        # a test comparing them with the published fields pin it.
        values = published_values(record, self._reading())
        values["updated_at"] = _MOMENT.to_representation(values["updated_at"])
        values["public_from"] = values["public_from"].isoformat()
        values["public_until"] = values["public_until"].isoformat()
        # The declared fields' names, in order, from the class: `self.fields` deep-copies
        # every field for each response.
        declared: Mapping[str, Any] = self._declared_fields
        ordered = {key: values[key] for key in declared if key in values}
        ordered.update(values)
        return ordered

    def _reading(self) -> Reading:
        # One per response: the labels and bureau names are looked up once for all rows.
        reading = self.context.get("published_reading")
        if reading is None:
            request = self.context.get("request")
            base = request.build_absolute_uri(DETAIL_PATH) if request else DETAIL_PATH
            reading = Reading(detail_base_url=base)
            if isinstance(self.context, dict):
                self.context["published_reading"] = reading
        return reading


class RemovalSerializer(serializers.Serializer):
    reference = serializers.CharField()
    reason = serializers.ChoiceField(
        choices=["withdrawn", "ended", "repaired"],
        help_text="repaired: ended early after an approved credit repair",
    )
    removed_at = serializers.DateTimeField()


# No record of the register changed before this day; an earlier moment asks for everything
# and is refused by name, because near year 1 a date-time cannot be moved to UTC at all.
CHANGE_FEED_EARLIEST = datetime.date(2000, 1, 1)


class _MomentField(serializers.DateTimeField):
    def to_internal_value(self, value: datetime.datetime | str) -> datetime.datetime:
        # DRF moves a local moment to UTC to check it exists; near year 1 it cannot.
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("overflow")


class ChangesQuerySerializer(serializers.Serializer):
    changed_since = _MomentField(
        help_text="ISO 8601, on or after 2000-01-01; without a zone it is read as China "
        "Standard Time"
    )

    def validate_changed_since(self, value: datetime.datetime) -> datetime.datetime:
        if value.date() < CHANGE_FEED_EARLIEST:
            raise serializers.ValidationError(
                _("Give a moment on or after %(day)s.") % {"day": CHANGE_FEED_EARLIEST}
            )
        return value


class ChangedDisclosureSerializer(DisclosureSerializer):
    """A record in the change feed: its published fields, and whether an objection (异议) about
    it is being handled (always false when OBJECTION_FLAG_PUBLIC is off)."""

    objection_pending = serializers.BooleanField(
        help_text="An objection by the subject is being handled; the record stays public"
    )

    def to_representation(self, record: Published) -> dict[str, Any]:
        values = super().to_representation(record)
        values["objection_pending"] = bool(
            settings.OBJECTION_FLAG_PUBLIC and getattr(record, "objection_open", False)
        )
        return values


class ChangesSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField()
    changed_since = serializers.DateTimeField()
    updated = ChangedDisclosureSerializer(many=True)
    more = serializers.BooleanField(
        help_text="More updates than returned: ask again with next_changed_since"
    )
    next_changed_since = serializers.DateTimeField(allow_null=True)
    removed = RemovalSerializer(many=True)
