"""Choice widgets whose label target is the first option.

Django gives a group of radios or checkboxes no single id, so the error summary (which links
to ``field.id_for_label``) would link nowhere. These point it at the first option; the group
itself is rendered as a fieldset with a legend by the shared ``includes/field.html``.
"""

from __future__ import annotations

from django import forms


class CheckboxGroup(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class RadioGroup(forms.RadioSelect):
    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)
