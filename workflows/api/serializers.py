"""What the API reads and writes (validation of shape only; rules live in the services)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflows.api.models import DeliveryAttempt, Subscription, WebhookDelivery
from workflows.api.webhooks import ALL_EVENTS
from workflows.cases.models import IdType
from workflows.catalog.models import ItemMaterial, ServiceItem


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemMaterial
        fields = ["position", "name", "form", "copies", "required", "note"]


class ItemSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    materials = MaterialSerializer(many=True)

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "department",
            "department_name",
            "kind",
            "legal_basis",
            "statutory_limit_days",
            "promised_limit_days",
            "fee",
            "fee_basis",
            "delivery_options",
            "materials",
        ]


class ApplicationSerializer(serializers.Serializer):
    """An online application: who applies for which item, with the checklist's files."""

    item = serializers.CharField(max_length=32, help_text=_("事项编码，例如 GA-HKQY。"))
    applicant_name = serializers.CharField(max_length=100)
    applicant_id_type = serializers.ChoiceField(choices=IdType.choices, default=IdType.RESIDENT_ID)
    applicant_id_number = serializers.CharField(max_length=40)
    applicant_phone = serializers.CharField(max_length=32)
    applicant_address = serializers.CharField(max_length=200, required=False, default="")
    external_ref = serializers.CharField(max_length=100, required=False, default="")
    material_positions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=999),
        required=False,
        default=list,
        max_length=50,
        help_text=_("每个上传文件对应的材料序号，与 material_files 一一对应。"),
    )
    material_files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        required=False,
        default=list,
        max_length=50,
        help_text=_("材料文件（PDF、PNG 或 JPEG）。"),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs["material_positions"]) != len(attrs["material_files"]):
            raise serializers.ValidationError(
                {"material_positions": [_("material_positions 与 material_files 的数量须相同。")]}
            )
        return attrs


class SharedLookupSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    source = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["found", "not_found", "unavailable"])
    note = serializers.CharField()


class CaseMaterialOut(serializers.Serializer):
    position = serializers.IntegerField()
    name = serializers.CharField()
    form = serializers.CharField()
    state = serializers.CharField()
    required = serializers.BooleanField()


class CaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    item = serializers.CharField()
    item_name = serializers.CharField()
    center = serializers.CharField()
    department = serializers.CharField()
    channel = serializers.ChoiceField(choices=["online", "window"])
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    deemed_acceptance_at = serializers.DateTimeField(allow_null=True)
    accepted_at = serializers.DateTimeField(allow_null=True)
    promised_due_at = serializers.DateTimeField(allow_null=True)
    statutory_due_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision = serializers.CharField(allow_blank=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    clock = serializers.DictField()
    materials = CaseMaterialOut(many=True)


class CreatedApplicationSerializer(CaseSerializer):
    shared = SharedLookupSerializer(many=True)


class EventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    action = serializers.CharField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    at = serializers.DateTimeField(source="created_at")
    clock = serializers.DictField()


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    number = serializers.CharField()
    issued_at = serializers.DateTimeField()
    current = serializers.BooleanField()
    pdf_url = serializers.CharField()
    verify_url = serializers.CharField()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class SubscriptionSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=ALL_EVENTS), min_length=1, max_length=len(ALL_EVENTS)
    )
    secret = serializers.CharField(read_only=True, help_text=_("仅在创建时返回一次。"))

    class Meta:
        model = Subscription
        fields = ["id", "url", "events", "secret", "is_active", "created_at"]
        read_only_fields = ["id", "secret", "is_active", "created_at"]


class SubscriptionOut(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = ["id", "url", "events", "is_active", "created_at"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "status_code", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer):
    log = AttemptSerializer(many=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "event_id",
            "event_type",
            "state",
            "attempts",
            "next_attempt_at",
            "delivered_at",
            "created_at",
            "log",
        ]
