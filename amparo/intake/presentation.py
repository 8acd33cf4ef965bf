"""Small helpers for rendering forms accessibly (shared by the public and staff pages)."""

from __future__ import annotations

from django import forms

_GROUP_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)


def annotate(form: forms.BaseForm) -> forms.BaseForm:
    """Point each input at its hint and error (``aria-describedby``) and mark it invalid.

    Radio groups and date parts are described on their fieldset by the template instead.
    """
    errors = form.errors if form.is_bound else {}
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, (_GROUP_WIDGETS, forms.HiddenInput)):
            continue
        bound = form[name]
        ids = []
        if field.help_text:
            ids.append(f"{bound.auto_id}-hint")
        if name in errors:
            ids.append(f"{bound.auto_id}-error")
            widget.attrs["aria-invalid"] = "true"
        else:
            widget.attrs.pop("aria-invalid", None)
        if ids:
            widget.attrs["aria-describedby"] = " ".join(ids)
        else:
            widget.attrs.pop("aria-describedby", None)
    return form
