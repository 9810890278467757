"""The guide's search finds items by the words citizens use, ranked, with filters."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection

from workflows.catalog.models import ItemMaterial, ServiceItem
from workflows.guide.models import GuideEntry
from workflows.guide.search import Filters, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> None:
    call_command("setup_reference", "--skip-calendar", verbosity=0, stdout=io.StringIO())


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("迁户口", "GA-HKQY"),
        ("办社保卡", "RS-SBK"),
        ("低保", "MZ-DB"),
        ("户口迁移", "GA-HKQY"),
        ("身份证", "GA-SFZ"),
    ],
)
def test_everyday_words_find_the_right_item_first(catalogue: None, query: str, code: str) -> None:
    results = search(query)
    assert results, f"{query} found nothing"
    assert results[0].code == code


def test_materials_are_searched_too(catalogue: None) -> None:
    codes = [i.code for i in search("居民户口簿")]
    assert "GA-HKQY" in codes


def test_nothing_matches_nonsense(catalogue: None) -> None:
    assert search("量子计算机") == []


def test_department_and_center_filters_narrow_the_list(catalogue: None) -> None:
    assert {i.department.code for i in search("", Filters(department="MZ"))} == {"MZ"}
    # 居民身份证 is offered only at the county center in the reference data.
    assert "GA-SFZ" in [i.code for i in search("身份证", Filters(center="PY"))]
    assert "GA-SFZ" not in [i.code for i in search("身份证", Filters(center="PY-DZ"))]
    # An entry with no centers listed is offered everywhere.
    assert "MZ-DB" in [i.code for i in search("低保", Filters(center="PY-DZ"))]


def test_a_material_added_in_the_admin_is_searchable(item: ServiceItem) -> None:
    ItemMaterial.objects.create(
        item=item, position=9, name="不动产权证书", form=ItemMaterial.Form.COPY
    )
    assert [i.code for i in search("不动产权")] == [item.code]
    assert "不动产权证书" in GuideEntry.objects.get(item=item).search_text


def test_the_search_column_has_a_trigram_index(catalogue: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'guide_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition
    assert "gin_trgm_ops" in definition
