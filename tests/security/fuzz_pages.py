"""What a page's POST forms submit, read from its HTML: the form fuzzing's starting point
(:mod:`.fuzz_support`) and the closed-year pages' check that no form is left.

Every input, select and textarea with its current value and, for choices, the options,
as a browser would post the form untouched.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageField:
    name: str
    kind: str
    values: list = field(default_factory=list)  # what the page submits as it is
    options: list = field(default_factory=list)  # choices offered (select, radio, checkbox)
    multiple: bool = False


@dataclass
class PageForm:
    action: str
    fields: dict = field(default_factory=dict)

    def base(self) -> dict:
        """The post the page would send untouched."""
        data = {}
        for name, page_field in self.fields.items():
            if page_field.kind == "file":
                continue
            if page_field.multiple:
                data[name] = list(page_field.values)
            elif page_field.values:
                data[name] = page_field.values[-1]
        return data


class _FormParser(HTMLParser):
    """The POST forms of a page: inputs, selects and textareas with their values.

    A control with a ``form="id"`` attribute belongs to that form wherever it
    stands (forms cannot nest, so pages put upload buttons outside)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._by_id: dict[str, PageForm] = {}
        self._pending: list = []
        self._form = None
        self._target = None
        self._select = None
        self._textarea = None

    def _field(self, name, kind, multiple=False):
        page_field = self._target.fields.get(name)
        if page_field is None:
            page_field = self._target.fields[name] = PageField(name, kind, multiple=multiple)
        return page_field

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = PageForm(action=a.get("action") or "")
                self.forms.append(self._form)
                if a.get("id"):
                    self._by_id[a["id"]] = self._form
            return
        if tag == "option" and self._select is not None:
            value = a.get("value") or ""
            self._select.options.append(value)
            if "selected" in a:
                self._select.values.append(value)
            return
        if tag not in ("input", "button", "select", "textarea") or not a.get("name"):
            return
        if a.get("form"):
            self._target = self._by_id.get(a["form"])
            if self._target is None:
                if a["form"] not in self._by_id:
                    self._pending.append((tag, attrs))
                return
        else:
            self._target = self._form
            if self._target is None:
                return
        self._control(tag, a)

    def _control(self, tag, a):
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "button":
            if (a.get("type") or "submit").lower() == "submit":
                self._field(name, "submit").options.append(a.get("value", ""))
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if "value" in a or kind == "submit":
                    self._field(name, "submit").options.append(a.get("value", ""))
                return
            if kind in ("checkbox", "radio"):
                page_field = self._field(name, kind, multiple=kind == "checkbox")
                page_field.options.append(a.get("value", "on"))
                if "checked" in a:
                    page_field.values.append(a.get("value", "on"))
                return
            page_field = self._field(name, kind)
            if kind != "file":
                page_field.values = [a.get("value", "")]
        elif tag == "select":
            self._select = self._field(name, "select", multiple="multiple" in a)
        elif tag == "textarea":
            self._textarea = self._field(name, "textarea")
            self._textarea.values = [""]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            # Django starts a textarea with a newline the browser drops.
            text = self._textarea.values[0] + data
            self._textarea.values = [text.removeprefix("\n")]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def close(self):
        super().close()
        # Controls naming a form defined further down the page (no options or text kept).
        for tag, attrs in self._pending:
            a = dict(attrs)
            self._target = self._by_id.get(a["form"])
            if self._target is not None and tag in ("input", "button"):
                self._control(tag, a)


def page_forms(html: str, path: str) -> list[PageForm]:
    """The page's POST forms that post to ``path`` (the language switcher and
    the logout button are left out)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    forms = []
    for form in parser.forms:
        action = form.action
        if action and action.split("?")[0] != path:
            continue
        for page_field in form.fields.values():
            # A select shows its first option when none is marked selected.
            first = page_field.kind == "select" and not page_field.multiple
            if first and not page_field.values and page_field.options:
                page_field.values = [page_field.options[0]]
        forms.append(form)
    return forms
