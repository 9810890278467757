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


# ---------------------------------------------------------------- 好差评 and 预约


class RectificationSerializer(serializers.Serializer):
    """整改 of a 差评: where it stands and its two deadlines."""

    state = serializers.CharField()
    state_label = serializers.CharField()
    opened_at = serializers.DateTimeField()
    call_back_due_at = serializers.DateTimeField()
    rectify_due_at = serializers.DateTimeField()
    called_back_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField(allow_blank=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    fed_back_at = serializers.DateTimeField(allow_null=True)


class RatingSerializer(serializers.Serializer):
    """One rating of a case (the rater's identity is not shared)."""

    id = serializers.IntegerField()
    case = serializers.CharField()
    item = serializers.CharField()
    center = serializers.CharField()
    department = serializers.CharField()
    moment = serializers.CharField()
    level = serializers.IntegerField(min_value=1, max_value=5)
    level_label = serializers.CharField()
    bad = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    channel = serializers.CharField()
    rated_at = serializers.DateTimeField()
    defaulted = serializers.BooleanField()
    current = serializers.BooleanField()
    excluded = serializers.BooleanField()
    rectification = RectificationSerializer(allow_null=True)


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    booked = serializers.IntegerField()
    free = serializers.IntegerField()


class SlotDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    counter = serializers.CharField()
    slots = SlotSerializer(many=True)


class BookingIn(serializers.Serializer):
    """A booking made for a citizen: the same rules as the public booking page."""

    center = serializers.CharField(max_length=32, help_text=_("中心编码，例如 PY。"))
    item = serializers.CharField(max_length=32, help_text=_("事项编码，例如 GA-HKQY。"))
    starts_at = serializers.DateTimeField(help_text=_("时段开始时间，取自空闲时段接口。"))
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=11)
    needs_help = serializers.BooleanField(required=False, default=False)
    help_note = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class BookingOut(serializers.Serializer):
    reference = serializers.CharField()
    center = serializers.CharField()
    counter = serializers.CharField()
    item = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField(help_text=_("仅显示前 6 位和后 4 位。"))
    phone = serializers.CharField(help_text=_("仅显示前 3 位和后 4 位。"))
    needs_help = serializers.BooleanField()
    created_at = serializers.DateTimeField()
