"""Keep each item's guide entry and its search text in step with the catalogue.

``loaddata`` sends ``post_save`` too (with ``raw=True``), so the reference
fixtures and admin edits both refresh the search column.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from workflows.catalog.models import ItemMaterial, ServiceItem
from workflows.guide.models import GuideEntry
from workflows.guide.search import refresh_search_text


@receiver(post_save, sender=ServiceItem, dispatch_uid="guide_item_saved")
def _item_saved(sender: Any, instance: ServiceItem, **kwargs: Any) -> None:
    GuideEntry.objects.get_or_create(item_id=instance.pk)
    refresh_search_text(instance.pk)


@receiver(post_save, sender=ItemMaterial, dispatch_uid="guide_material_saved")
@receiver(post_delete, sender=ItemMaterial, dispatch_uid="guide_material_deleted")
def _material_changed(sender: Any, instance: ItemMaterial, **kwargs: Any) -> None:
    refresh_search_text(instance.item_id)


@receiver(post_save, sender=GuideEntry, dispatch_uid="guide_entry_saved")
def _entry_saved(sender: Any, instance: GuideEntry, **kwargs: Any) -> None:
    refresh_search_text(instance.item_id)
