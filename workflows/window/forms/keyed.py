"""The hidden idempotency key every window form carries, and the form that carries it."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.window.keys import KEY_PATTERN, new_key, service_key

STALE_FORM = _("页面已过期或被重复打开，请核对填写内容后重新提交。")


class KeyField(forms.RegexField):
    """The hidden idempotency key: a double-clicked submit repeats it, a new page gets a new one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("error_messages", {"required": STALE_FORM, "invalid": STALE_FORM})
        super().__init__(regex=KEY_PATTERN, **kwargs)


class KeyedForm(forms.Form):
    """A form whose submission carries an idempotency key."""

    key = KeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("key", new_key())

    def full_clean(self) -> None:
        """Clean; a stale key is replaced, so the corrected form can be submitted again."""
        super().full_clean()
        if self.is_bound and "key" in self.errors:
            data = cast(Any, self.data).copy()
            data[self.add_prefix("key")] = new_key()
            self.data = data

    def service_key(self, user_pk: int, action: str) -> str:
        """The key passed to a service: scoped to the clerk and to the action."""
        return service_key(user_pk, self.cleaned_data["key"], action)
