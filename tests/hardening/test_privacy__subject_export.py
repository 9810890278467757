"""A data-subject request (个人信息保护法 第四十五条): one ZIP of one person's data, logged."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from documents.models import Document
from documents.services import ensure_rendered
from tests.conftest import APPLICANT_ID, applicant, complete_materials
from tests.workflows.hall.conftest import at, counter, resident_id  # noqa: F401  (fixture)
from tests.workflows.tasks.fixtures import workbench_permissions  # noqa: F401  (autouse)
from workflows.cases import services
from workflows.cases.errors import InvalidRequest
from workflows.cases.models import Case
from workflows.catalog.models import Center, ServiceItem
from workflows.hall import services as hall
from workflows.hall.models import Counter
from workflows.privacy.export import id_number_hash, subject_export
from workflows.privacy.models import SubjectExport
from workflows.web.models import LookupAttempt

pytestmark = pytest.mark.django_db

OTHER_ID = resident_id(77)
FRIDAY, MONDAY = date(2026, 10, 9), date(2026, 10, 12)


def receive(county: Center, item: ServiceItem, clerk: User, **kw: object) -> Case:
    case = services.case_receive(
        center=county,
        item=item,
        actor=clerk,
        materials=complete_materials(item),
        **kw,  # type: ignore[arg-type]
    )
    return services.case_accept(case=case, actor=clerk)


@pytest.fixture
def people(
    county: Center,
    item: ServiceItem,
    clerk: User,
    counter: Counter,  # noqa: F811  (the hall's fixture)
) -> dict[str, object]:
    own = receive(county, item, clerk, applicant=applicant())
    as_agent = receive(
        county,
        item,
        clerk,
        applicant=applicant(name="李四", id_number=OTHER_ID, phone="13800000001"),
        agent=applicant(),
    )
    other = receive(
        county,
        item,
        clerk,
        applicant=applicant(name="王五", id_number=resident_id(78), phone="13800000002"),
    )
    for document in Document.objects.all():
        ensure_rendered(document)
    mine = hall.booking_create(
        counter=counter,
        item=item,
        starts_at=at(MONDAY, "09:00"),
        name="张三",
        id_number=APPLICANT_ID,
        phone="13912345678",
        now=at(FRIDAY, "10:00"),
    )
    theirs = hall.booking_create(
        counter=counter,
        item=item,
        starts_at=at(MONDAY, "09:00"),
        name="王五",
        id_number=resident_id(78),
        phone="13800000002",
        now=at(FRIDAY, "10:00"),
    )
    for target in (own.number, other.number):
        LookupAttempt.objects.create(
            scope="status", target=target, ip="198.51.100.1", result="found", at=at(FRIDAY, "11:00")
        )
    return {"own": own, "as_agent": as_agent, "other": other, "mine": mine, "theirs": theirs}


def test_the_export_holds_the_persons_data_and_nothing_of_another(
    people: dict[str, object], supervisor: User
) -> None:
    own, as_agent, other = (people[k] for k in ("own", "as_agent", "other"))
    content, log = subject_export(
        id_number=APPLICANT_ID.lower(), actor=supervisor, reason="申请人书面申请复制（第四十五条）"
    )

    archive = zipfile.ZipFile(io.BytesIO(content))
    data = json.loads(archive.read("data.json"))
    numbers = {row["fields"]["number"] for row in data["cases"]}
    assert numbers == {own.number, as_agent.number}  # type: ignore[union-attr]
    assert {row["fields"]["case"] for row in data["case_events"]} == {
        own.pk,
        as_agent.pk,  # type: ignore[union-attr]
    }
    assert {row["fields"]["case"] for row in data["documents"]} <= {own.pk, as_agent.pk}  # type: ignore[union-attr]
    assert data["documents"]
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert pdfs
    assert all(archive.read(n).startswith(b"%PDF") for n in pdfs)
    assert [row["fields"]["reference"] for row in data["bookings"]] == [
        people["mine"].reference  # type: ignore[union-attr]
    ]
    assert [row["fields"]["target"] for row in data["lookups"]] == [own.number]  # type: ignore[union-attr]
    text = archive.read("data.json").decode()
    assert other.number not in text  # type: ignore[union-attr]
    assert resident_id(78) not in text
    assert "王五" not in text
    assert people["theirs"].reference not in text  # type: ignore[union-attr]

    assert log.actor == supervisor
    assert log.id_number_hash == id_number_hash(APPLICANT_ID)
    assert APPLICANT_ID not in json.dumps(log.counts) + log.reason + log.id_number_hash
    assert log.counts["cases"] == 2


def test_an_export_needs_a_reason_and_writes_nothing_without(supervisor: User) -> None:
    with pytest.raises(InvalidRequest):
        subject_export(id_number=APPLICANT_ID, actor=supervisor, reason="  ")
    assert not SubjectExport.objects.exists()


def test_the_command_writes_the_zip_and_logs_it(
    people: dict[str, object], tmp_path, django_user_model
) -> None:
    admin = django_user_model.objects.create_superuser("root", password="x")
    out = tmp_path / "subject.zip"
    call_command(
        "export_subject", id_number=APPLICANT_ID, reason="第四十五条申请", actor="root", out=out
    )
    assert "data.json" in zipfile.ZipFile(out).namelist()
    assert SubjectExport.objects.get().actor == admin


EXPORT_URL = "/admin/privacy/subjectexport/export/"


def exported_data(content: bytes) -> dict[str, object]:
    data: dict[str, object] = json.loads(zipfile.ZipFile(io.BytesIO(content)).read("data.json"))
    data.pop("export")
    return data


def test_the_admin_page_downloads_the_commands_zip_and_logs_it_the_same_way(
    people: dict[str, object], tmp_path, django_user_model, client
) -> None:
    admin = django_user_model.objects.create_superuser("root", password="x")
    out = tmp_path / "subject.zip"
    call_command("export_subject", id_number=APPLICANT_ID, reason="命令", actor="root", out=out)
    client.force_login(admin)

    form = client.get(EXPORT_URL)
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"]
    response = client.post(EXPORT_URL, {"id_number": APPLICANT_ID, "reason": "书面申请第 7 号"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    log = SubjectExport.objects.latest("pk")
    assert response["Content-Disposition"] == f'attachment; filename="subject-export-{log.pk}.zip"'
    assert exported_data(response.content) == exported_data(out.read_bytes())
    assert (log.actor, log.reason) == (admin, "书面申请第 7 号")
    assert log.id_number_hash == id_number_hash(APPLICANT_ID)
    assert log.counts == SubjectExport.objects.earliest("pk").counts
    assert SubjectExport.objects.count() == 2


def test_the_admin_page_refuses_a_missing_purpose_and_logs_nothing(
    django_user_model, client
) -> None:
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    response = client.post(EXPORT_URL, {"id_number": APPLICANT_ID, "reason": "   "})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert not SubjectExport.objects.exists()


def test_only_admins_with_the_permission_may_export(
    people: dict[str, object], supervisor: User, django_user_model, client
) -> None:
    body = {"id_number": APPLICANT_ID, "reason": "试图导出"}
    assert client.post(EXPORT_URL, body).status_code == 302  # to the admin's login
    supervisor.is_staff = True
    supervisor.save()
    client.force_login(supervisor)
    assert client.get(EXPORT_URL).status_code == 403
    assert client.post(EXPORT_URL, body).status_code == 403
    assert not SubjectExport.objects.exists()

    from django.contrib.auth.models import Permission

    supervisor.user_permissions.add(Permission.objects.get(codename="export_subject"))
    supervisor = User.objects.get(pk=supervisor.pk)  # drop the cached permissions
    client.force_login(supervisor)
    changelist = client.get("/admin/privacy/subjectexport/")
    assert EXPORT_URL in changelist.content.decode()
    response = client.post(EXPORT_URL, body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert SubjectExport.objects.get().actor == supervisor
