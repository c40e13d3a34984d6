"""Forms of the self side: all self-scores of a sheet on one form, an
evidence upload, the submit confirmation.

The self-scores form has three fields per line, named after the line key
(``value-I.1``, ``explanation-I.1``, ``evidence_note-I.1``) so that the
service's errors, keyed by line key, land next to their line. The value
widget follows the criterion's kind — a number with the line's range for
points, Đạt/Không đạt for pass/fail, a whole number for counts — but the
fields only *parse*: the range and kind rules are the service's (one set of
messages, each naming its line, for the form and the Excel import alike).

The page does not render the 120 fields through their widget templates and
crispy (about 0.8 ms each: two thirds of the page, issue 9); ``rows()`` gives
each field as a :class:`FieldInput`, plain values whose ``html()`` is the same
markup (labels, ids, errors, help text), written without templates.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django import forms
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..sheet_rules import Kind, format_points
from .evidence import ACCEPT, max_megabytes
from .values import counts_items

__all__ = ["EvidenceForm", "FieldInput", "SelfScoresForm", "SubmitForm"]

_TEXTAREA = {"rows": 2, "class": "form-control"}


def _pass_fail(value: str):
    return {"1": True, "0": False}.get(value)


def _points(value) -> str:
    """Points as the active language writes them ("2,5" in Vietnamese)."""
    return number_format(Decimal(format_points(value)))


def _value_label(criterion) -> str:
    maximum = _points(criterion.max_points)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return _("Self-score: pass or fail (%(max)s points)") % {"max": maximum}
    if counts_items(criterion):
        return _("Self-score: number of items (%(each)s points each, at most %(max)s)") % {
            "each": _points(criterion.points_per_item),
            "max": maximum,
        }
    return _("Self-score (0 to %(max)s points)") % {"max": maximum}


def _value_field(criterion, initial) -> forms.Field:
    label = _value_label(criterion)
    if Kind(criterion.kind) == Kind.PASS_FAIL:
        return forms.TypedChoiceField(
            label=label,
            choices=[("", "—"), ("1", _("Pass")), ("0", _("Fail"))],
            coerce=_pass_fail,
            empty_value=None,
            required=False,
            initial=None if initial is None else ("1" if initial else "0"),
        )
    whole = counts_items(criterion)
    attrs = {
        "min": 0,
        "step": 1 if whole else "0.01",
        "inputmode": "numeric" if whole else "decimal",
    }
    if not whole:
        attrs["max"] = format_points(criterion.max_points)
    if initial is not None:
        # 16.00 → 16, 2.50 → 2.5: what the user typed, not the column's scale.
        initial = initial.to_integral_value() if whole else Decimal(format_points(initial))
    return forms.DecimalField(
        label=label,
        required=False,
        initial=initial,
        widget=forms.NumberInput(attrs=attrs),
    )


@dataclass(frozen=True)
class FieldInput:
    """One field of the self-scores grid as the page writes it: ``widget`` is
    "number", "select" or "textarea"; ``value`` the text the input shows (what was
    posted, or the initial value); ``attrs`` the widget's extra attributes;
    ``choices`` (value, label, selected) for a select."""

    name: str
    label: str
    widget: str
    value: str = ""
    attrs: tuple = ()
    choices: tuple = ()
    help_text: str = ""
    errors: tuple = ()

    @property
    def id(self) -> str:
        return f"id_{self.name}"

    def html(self) -> SafeString:
        """The field in crispy-bootstrap5's markup (label, input, errors, help text).

        Written here with the standard library's escaping rather than by a template or
        ``format_html`` (whose lazy-string checks cost more than the markup): the sheet
        has 120 fields, and through widget templates and ``|as_crispy_field`` they were
        two thirds of the page's time, which was 45 times a trivial page's (issue 9)."""
        field_id = escape(self.id)
        invalid = " is-invalid" if self.errors else ""
        described = [f"{field_id}_error"] if self.errors else []
        if self.help_text:
            described.append(f"{field_id}_helptext")
        aria = ' aria-invalid="true"' if self.errors else ""
        if described:
            aria += f' aria-describedby="{" ".join(described)}"'
        attrs = "".join(f' {escape(name)}="{escape(value)}"' for name, value in self.attrs)
        name = escape(self.name)
        if self.widget == "select":
            options = "".join(
                f'<option value="{escape(value)}"{" selected" if chosen else ""}>'
                f"{escape(label)}</option>"
                for value, label, chosen in self.choices
            )
            control = (
                f'<select name="{name}" class="select form-select{invalid}" id="{field_id}"'
                f"{aria}>{options}</select>"
            )
        elif self.widget == "textarea":
            # The newline after the tag is Django's: a value's own leading newline survives.
            control = (
                f'<textarea name="{name}"{attrs} class="form-control textarea{invalid}"'
                f' id="{field_id}"{aria}>\n{escape(self.value)}</textarea>'
            )
        else:
            value = f' value="{escape(self.value)}"' if self.value else ""
            control = (
                f'<input type="number" name="{name}"{value}{attrs}'
                f' class="numberinput form-control{invalid}" id="{field_id}"{aria}>'
            )
        errors = ""
        if self.errors:
            paragraphs = "".join(
                f'<p id="error_{index}_{field_id}"><strong>{escape(error)}</strong></p>'
                for index, error in enumerate(self.errors, 1)
            )
            errors = f'<div id="{field_id}_error" class="invalid-feedback">{paragraphs}</div>'
        help_text = ""
        if self.help_text:
            help_text = (
                f'<div id="{field_id}_helptext" class="form-text">{escape(self.help_text)}</div>'
            )
        return mark_safe(  # every value above is escaped
            f'<div id="div_{field_id}" class="mb-3"><label for="{field_id}" class="form-label">'
            f"{escape(self.label)}</label>{control}{errors}{help_text}</div>"
        )


def _field_input(form: forms.Form, name: str) -> FieldInput:
    """``form[name]`` prepared for the page, without rendering its widget template."""
    field = form.fields[name]
    widget = field.widget
    value = widget.format_value(form[name].value())
    errors = tuple(str(error) for error in form.errors.get(name, ())) if form.is_bound else ()
    if isinstance(widget, forms.Select):
        selected = set(value or ())
        return FieldInput(
            name=name,
            label=str(field.label),
            widget="select",
            choices=tuple(
                (str(choice), str(label), str(choice) in selected)
                for choice, label in field.choices
            ),
            errors=errors,
        )
    kind = "textarea" if isinstance(widget, forms.Textarea) else "number"
    attrs = tuple((k, str(v)) for k, v in widget.attrs.items() if k != "class")
    return FieldInput(
        name=name,
        label=str(field.label),
        widget=kind,
        value="" if value is None else str(value),
        attrs=attrs,
        help_text=str(field.help_text or ""),
        errors=errors,
    )


class SelfScoresForm(forms.Form):
    """Every line of a sheet; ``lines`` are the page's line rows (with the
    self columns read)."""

    female_percent = forms.DecimalField(
        label=gettext_lazy("Women in the collective (%)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
        help_text=gettext_lazy(
            "Used to break ties: collectives with at least 70 percent women come first."
        ),
    )

    def __init__(self, *args, lines, female_percent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        self.fields["female_percent"].initial = female_percent
        explanation, note = _("Explanation"), _("Evidence references")
        note_help = _("Links, decision or document numbers; one per line.")
        for line in self.lines:
            criterion = line.criterion
            self.fields[f"value-{line.key}"] = _value_field(criterion, line.self_value)
            self.fields[f"explanation-{line.key}"] = forms.CharField(
                label=explanation,
                required=False,
                initial=line.explanation,
                widget=forms.Textarea(attrs=_TEXTAREA),
            )
            self.fields[f"evidence_note-{line.key}"] = forms.CharField(
                label=note,
                required=False,
                initial=line.evidence_note,
                help_text=note_help,
                widget=forms.Textarea(attrs=_TEXTAREA),
            )

    def rows(self):
        """(line, value, explanation, evidence note) per line, the three fields as
        :class:`FieldInput` for the page's loop."""
        return [
            (
                line,
                _field_input(self, f"value-{line.key}"),
                _field_input(self, f"explanation-{line.key}"),
                _field_input(self, f"evidence_note-{line.key}"),
            )
            for line in self.lines
        ]

    def entries(self) -> dict[str, dict]:
        """The cleaned data as ``self_scores_save`` takes it."""
        data = self.cleaned_data
        return {
            line.key: {
                "value": data.get(f"value-{line.key}"),
                "explanation": data.get(f"explanation-{line.key}", ""),
                "evidence_note": data.get(f"evidence_note-{line.key}", ""),
            }
            for line in self.lines
        }

    def add_service_error(self, exc) -> None:
        """The service's errors by line key, next to each line's value."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for key, errors in exc.error_dict.items():
            name = key if key == "female_percent" else f"value-{key}"
            self.add_error(name if name in self.fields else None, errors)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Evidence file"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, image, Word, Excel or OpenDocument file of at most %(limit)s MB."
        ) % {"limit": max_megabytes()}


class SubmitForm(forms.Form):
    """Nothing to fill in: the POST is the leader's confirmation."""
