"""API for licensing systems: POST /api/v1/licensing/checks/ runs the same lookup as the check
page and answers the same verdict and check number. Restricted: token-authenticated accounts
of licensing officers and administrators (licensing.permissions.can_run_checks); throttled
per account by the `licensing_checks` rate (setting LICENSING_API_RATE)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_tokens import HashedTokenAuthentication
from kernel.throttling import AddressScopedRateThrottle
from licensing.inputs import clean_check_input
from licensing.models import ApplicantKind, ApplicationType, CheckSource, Verdict
from licensing.permissions import can_run_checks
from licensing.services.checks import applicant_check
from records.models import User
from records.permissions import staff_user

# The error answers, as DRF writes them.
_MESSAGES = {"type": "array", "items": {"type": "string"}}
_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
ERROR_RESPONSES = {
    400: OpenApiResponse(
        response={
            "type": "object",
            "additionalProperties": {
                "anyOf": [
                    _MESSAGES,
                    {"type": "string"},
                    {"type": "object", "additionalProperties": _MESSAGES},
                ]
            },
        },
        description="The input is wrong: each named field (or non_field_errors) with its "
        "messages (a list field: by item index), or `detail` when the body cannot be read.",
    ),
    401: OpenApiResponse(_DETAIL, description="No token, or an unknown or inactive one."),
    403: OpenApiResponse(
        _DETAIL, description="The token's account is not a licensing officer or administrator."
    ),
    429: OpenApiResponse(
        _DETAIL,
        description="More calls than LICENSING_API_RATE allows for this token; the "
        "Retry-After header says when to try again.",
    ),
}


class RunsChecks(BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, User) and can_run_checks(request.user)


class ApplicantCheckApi(APIView):
    authentication_classes = [HashedTokenAuthentication]
    permission_classes = [IsAuthenticated, RunsChecks]
    throttle_classes = [AddressScopedRateThrottle]
    throttle_scope = "licensing_checks"

    class InputSerializer(serializers.Serializer):
        applicant_kind = serializers.ChoiceField(choices=ApplicantKind.choices)
        name = serializers.CharField(max_length=200)
        credit_code = serializers.CharField(max_length=40, required=False, allow_blank=True)
        licence_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
        identity_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
        certificate_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
        legal_representative = serializers.CharField(
            max_length=200, required=False, allow_blank=True
        )
        principal_persons = serializers.ListField(
            child=serializers.CharField(max_length=200), required=False, max_length=20
        )
        application_type = serializers.ChoiceField(choices=ApplicationType.choices)
        application_ref = serializers.CharField(max_length=100)

    class MatchSerializer(serializers.Serializer):
        record = serializers.CharField(help_text="Public reference of the record (TR…).")
        name = serializers.CharField()
        identifier = serializers.CharField()
        ground = serializers.CharField()
        bureau = serializers.CharField()
        public_from = serializers.CharField()
        public_until = serializers.CharField()
        level = serializers.ChoiceField(choices=["listed", "possible"])
        score = serializers.FloatField()
        reasons = serializers.ListField(child=serializers.CharField())

    class OutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        verification_code = serializers.CharField()
        checked_at = serializers.DateTimeField(source="created_at")
        verdict = serializers.ChoiceField(choices=Verdict.choices)
        matches = serializers.ListField(child=serializers.DictField())
        archived = serializers.ListField(
            child=serializers.DictField(),
            help_text="Archived records in the caller's jurisdiction; not part of the verdict.",
        )
        connected = serializers.ListField(
            child=serializers.DictField(),
            help_text="Listed persons connected to the applicant company; not part of the verdict.",
        )

    @extend_schema(
        operation_id="licensing_check_create",
        summary="Check an applicant against the bad-record list",
        description=(
            "Runs the licence-review lookup (SPEC §7) and keeps the check. The verdict is "
            "`listed`, `possible_match` or `not_listed`; `matches` lists the records behind "
            "it, with score and reason codes. Identity numbers are never stored or returned "
            "in full."
        ),
        request=InputSerializer,
        responses={201: OutputSerializer, **ERROR_RESPONSES},
        tags=["licensing"],
        examples=[
            OpenApiExample(
                "Company",
                value={
                    "applicant_kind": "operator",
                    "name": "杭州西湖国际旅行社有限公司",
                    "licence_no": "L-ZJ-CJ00001",
                    "application_type": "outbound_business",
                    "application_ref": "浙文旅许〔2026〕001号",
                },
                request_only=True,
            )
        ],
    )
    def post(self, request: Request) -> Response:
        incoming = self.InputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["principal_persons"] = "\n".join(data.get("principal_persons", []))
        try:
            cleaned = clean_check_input(data)
        except ValidationError as error:
            raise ApiValidationError(error.message_dict) from None
        check = applicant_check(by=staff_user(request), data=cleaned, source=CheckSource.API)
        return Response(self.OutputSerializer(check).data, status=status.HTTP_201_CREATED)
