"""The shape of a disclosed record in the open-data API: exactly the published fields, the
ground, the publishing bureau and its region code. Nothing is written through them."""

from rest_framework import serializers

from records.models import BadRecord


class BureauSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="GB/T 2260 division code of the bureau's region")
    name = serializers.CharField(help_text="The bureau")
    region = serializers.CharField(help_text="The region's name")


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
    publishing_bureau = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def to_representation(self, record: BadRecord) -> dict:
        # Written out: DRF's field-by-field machinery costs more than the page's queries. The
        # declared fields above still describe the shape in the OpenAPI schema, and
        # tests/data/disclosure_api_record.json pins it.
        updated = record.updated_at
        return {
            "reference": record.reference,
            "subject_type": record.subject_type,
            "name": record.subject_name,
            "sector": record.sector,
            "practitioner_kind": record.practitioner_kind,
            "licence_no": record.licence_no,
            "certificate_no": record.certificate_no,
            "business_address": record.business_address,
            "legal_representative": record.legal_representative,
            "ground": record.ground,
            "ground_label": str(record.get_ground_display()),
            "cause": record.cause,
            "penalty_decision": record.penalty_decision,
            "complaint_result": record.complaint_result,
            "public_from": record.public_from.isoformat(),
            "public_until": record.public_until.isoformat(),
            "version": record.version,
            "updated_at": serializers.DateTimeField().to_representation(updated),
            "publishing_bureau": self.get_publishing_bureau(record),
            "url": self.get_url(record),
        }

    def get_publishing_bureau(self, record: BadRecord) -> BureauSerializer:
        bureau = record.filing_bureau
        return BureauSerializer(
            {"code": bureau.code, "name": str(bureau), "region": bureau.name}
        ).data

    def get_url(self, record: BadRecord) -> str:
        request = self.context.get("request")
        path = f"/disclosures/{record.reference}"
        return request.build_absolute_uri(path) if request else path


class RemovalSerializer(serializers.Serializer):
    reference = serializers.CharField()
    reason = serializers.ChoiceField(choices=["withdrawn", "ended"])
    removed_at = serializers.DateTimeField()


class ChangesQuerySerializer(serializers.Serializer):
    changed_since = serializers.DateTimeField(
        help_text="ISO 8601; without a zone it is read as China Standard Time"
    )


class ChangesSerializer(serializers.Serializer):
    as_of = serializers.DateTimeField()
    changed_since = serializers.DateTimeField()
    updated = DisclosureSerializer(many=True)
    more = serializers.BooleanField(
        help_text="More updates than returned: ask again with next_changed_since"
    )
    next_changed_since = serializers.DateTimeField(allow_null=True)
    removed = RemovalSerializer(many=True)
