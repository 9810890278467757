"""Typed factory_boy factories for test data (reference data lives in fixtures/)."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group, User

from workflows.catalog import roles
from workflows.catalog.models import Center, Department, ItemMaterial, ServiceItem, StaffProfile


class CenterFactory(factory.django.DjangoModelFactory[Center]):
    class Meta:
        model = Center
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.LazyAttribute(lambda o: f"测试中心{o.code}")
    level = Center.Level.COUNTY
    supervision_phone = "0753-8812345"


class DepartmentFactory(factory.django.DjangoModelFactory[Department]):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.LazyAttribute(lambda o: f"部门{o.code}")
    full_name = factory.LazyAttribute(lambda o: f"平远县{o.name}")


class ServiceItemFactory(factory.django.DjangoModelFactory[ServiceItem]):
    class Meta:
        model = ServiceItem
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"ITEM-{n:03d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    kind = ServiceItem.Kind.PROMISED
    legal_basis = "《中华人民共和国行政许可法》"
    statutory_limit_days = 10
    promised_limit_days = 5
    delivery_options = ["window", "post"]

    @factory.post_generation
    def materials(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        specs = (
            extracted
            if extracted is not None
            else [
                ("居民身份证", ItemMaterial.Form.BOTH, 1, True),
                ("申请表", ItemMaterial.Form.ORIGINAL, 1, True),
                ("户口簿", ItemMaterial.Form.COPY, 1, False),
            ]
        )
        for position, (name, form, copies, required) in enumerate(specs, start=1):
            ItemMaterial.objects.get_or_create(
                item=self,
                position=position,
                defaults={"name": name, "form": form, "copies": copies, "required": required},
            )


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"{n}")
    last_name = "王"
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def profile(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save()


def staff(
    username: str,
    role: str,
    *,
    center: Center | None = None,
    department: Department | None = None,
    rank: int = 1,
) -> User:
    """A user in ``role``'s group, working at ``center`` / in ``department``."""
    user = UserFactory(username=username)
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "center": center,
            "department": department,
            "rank": rank,
            "phone": "13800138000",
            "title": str(roles.ROLE_LABELS[role]),
        },
    )
    return user


class ImmediateServiceItemFactory(ServiceItemFactory):
    """A 即办件: decided at the window on the spot, no back-office flow."""

    code = factory.Sequence(lambda n: f"JB-{n:03d}")
    name = factory.Sequence(lambda n: f"即办事项{n}")
    kind = ServiceItem.Kind.IMMEDIATE
    statutory_limit_days = 0
    promised_limit_days = 0
    delivery_options = ["window", "electronic"]
    flow = ""


# ---------------------------------------------------------------- workflows (flows, tasks, 一件事)


def flow_item(
    code: str,
    department: Department,
    flow: str,
    *,
    name: str | None = None,
    kind: str = ServiceItem.Kind.PROMISED,
    statutory: int = 10,
    promised: int = 5,
    needs_head: bool = False,
    delivery_options: list[str] | None = None,
    materials: list[tuple[str, str, int, bool]] | None = None,
) -> ServiceItem:
    """A service item routed to ``flow`` (``""`` for a 即办件)."""
    return ServiceItemFactory(
        code=code,
        name=name or f"测试事项{code}",
        department=department,
        kind=kind,
        statutory_limit_days=statutory,
        promised_limit_days=promised,
        decision_needs_head=needs_head,
        delivery_options=delivery_options or ["window", "post"],
        flow=flow,
        materials=materials,
    )


def accepted_case(
    *, item: ServiceItem, clerk: User, center: Center, start_flow: bool = True, now: Any = None
) -> Any:
    """A case received and accepted at ``center``, its flow started (as the window does)."""
    from django.db import transaction

    from workflows.cases import services
    from workflows.tasks.routing import start_department_flow

    lines = [services.MaterialLine(material_id=m.pk, copies=m.copies) for m in item.materials.all()]
    party = services.Party(
        name="李四", id_number="441426199001011238", phone="13912345678", address="平远县大柘镇"
    )
    with transaction.atomic():
        case = services.case_receive(
            center=center, item=item, actor=clerk, applicant=party, materials=lines, now=now
        )
        case = services.case_accept(case=case, actor=clerk, now=now)
        if start_flow:
            start_department_flow(case=case, actor=clerk)
    return case


def open_task(case: Any, node: str | None = None) -> Any:
    """The case's unfinished human task (of ``node``, if given)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    qs = Task.objects.filter(
        process__caseprocess__case=case,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    tasks = [t for t in qs.order_by("pk") if node is None or t.flow_task.name == node]
    assert len(tasks) == 1, f"expected one open task{' ' + node if node else ''}, got {tasks}"
    return tasks[0]


def step_data(**fields: Any) -> dict[str, Any]:
    """A step form's POST data (the task page prefixes its fields with ``step-``)."""
    return {f"step-{name}": value for name, value in fields.items()}


def work(case: Any, node: str, user: User, **fields: Any) -> Any:
    """Engine level: claim (unless it is already the user's) and complete ``node``'s task."""
    from workflows.tasks import selectors, services

    task = open_task(case, node)
    if task.owner_id is None and not selectors.step_of(task).claim_on_complete:
        services.task_claim(task=task, user=user)
        task.refresh_from_db()
    return services.task_complete(task=task, user=user, data=step_data(**fields))
