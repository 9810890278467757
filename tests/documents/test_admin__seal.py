"""An organ's seal: uploaded in the admin, printed on its documents; none → a placeholder."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from documents.models import DocumentKind, OrganSeal
from tests.documents.conftest import DocumentMaker, flat, pdf_text
from workflows.catalog.models import Center, Department

pytestmark = pytest.mark.django_db


SEAL_PIXELS = (200, 200)


def png_seal() -> bytes:
    image = Image.new("RGBA", SEAL_PIXELS, (0, 0, 0, 0))
    for x in range(200):
        for y in range(200):
            if 80**2 <= (x - 100) ** 2 + (y - 100) ** 2 <= 95**2:
                image.putpixel((x, y), (200, 0, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(admin_client: Client, data: bytes, **owner: int) -> int:
    return admin_client.post(
        "/admin/documents/organseal/add/",
        {
            "name": "平远县党群服务中心受理专用章",
            "number_prefix": "",
            "is_active": "on",
            "upload": SimpleUploadedFile("seal.png", data, content_type="image/png"),
            **{k: str(v) for k, v in owner.items()},
        },
    ).status_code


def seals(pdf: bytes) -> int:
    """How many images of the uploaded seal's size page one holds (the QR codes are images too)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return sum(1 for image in doc.pages[0].images if tuple(image["srcsize"]) == SEAL_PIXELS)


def test_an_uploaded_seal_is_printed_on_the_centers_documents(
    admin_client: Client, county: Center, make_document: DocumentMaker
) -> None:
    assert upload(admin_client, png_seal(), center=county.pk) == 302
    seal = OrganSeal.objects.get()
    assert seal.image_type == "image/png"
    assert len(seal.image_sha256) == 64

    document = make_document(DocumentKind.ACCEPTANCE)
    pdf = bytes(document.files.get().pdf)

    assert document.seal == seal
    assert document.content["seal"] == {"id": seal.pk, "sha256": seal.image_sha256}
    assert seals(pdf) == 1
    assert "未配置电子印章" not in flat(pdf_text(pdf))


def test_a_departments_seal_is_printed_on_its_extension_notices(
    admin_client: Client, department: Department, make_document: DocumentMaker
) -> None:
    assert upload(admin_client, png_seal(), department=department.pk) == 302

    extension = make_document(DocumentKind.EXTENSION)

    assert seals(bytes(extension.files.get().pdf)) == 1
    acceptance = extension.case.documents.get(kind=DocumentKind.ACCEPTANCE)
    assert acceptance.seal is None  # the center has no seal configured


def test_without_a_seal_the_document_shows_a_placeholder_not_an_image(
    make_document: DocumentMaker,
) -> None:
    pdf = bytes(make_document(DocumentKind.ACCEPTANCE).files.get().pdf)

    assert seals(pdf) == 0
    assert "未配置电子印章" in flat(pdf_text(pdf))


@pytest.mark.parametrize(
    "data", [b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"GIF89a....", b"\x89PNG broken"]
)
def test_only_png_or_jpeg_seals_are_accepted(
    admin_client: Client, county: Center, data: bytes
) -> None:
    response = admin_client.post(
        "/admin/documents/organseal/add/",
        {
            "name": "x",
            "is_active": "on",
            "center": str(county.pk),
            "upload": SimpleUploadedFile("seal.svg", data),
        },
    )

    assert response.status_code == 200
    assert "PNG 或 JPEG" in response.content.decode()
    assert not OrganSeal.objects.exists()
