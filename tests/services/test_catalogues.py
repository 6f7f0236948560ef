"""Every message is in the bokmål, nynorsk and English catalogues, and every refusal is a message."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from services.errors import DomainError
from services.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "services" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


def catalogue(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


def msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def listing(msgids) -> str:
    return "\n".join(f"  {m!r}" for m in sorted(msgids))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """What `make translations` would extract from the code and templates now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg"]
        + ["-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "N_", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as f:
        found = {msgid(m) for m in read_po(f) if m.id}
    assert found, "extraction found no messages"
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_catalogue_has_an_untranslated_or_fuzzy_entry(lang):
    left = {msgid(m) for m in catalogue(lang) if m.id and not is_translated(m)}
    assert not left, (
        f"{lang}: {len(left)} entries untranslated or fuzzy in"
        f" services/locale/{lang}/LC_MESSAGES/messages.po:\n{listing(left)}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_extracted_message_is_in_the_catalogue(lang, extracted):
    known = {msgid(m) for m in catalogue(lang) if m.id}
    missing = extracted - known
    assert not missing, (
        f"{lang}: {len(missing)} messages not in the catalogue; run `make translations`"
        f" and translate them:\n{listing(missing)}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_translation_keeps_the_placeholders_of_its_message(lang):
    wrong = []
    for m in catalogue(lang):
        if not m.id or not is_translated(m):
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for string in strings:
            if set(PLACEHOLDER.findall(string)) - wanted or (
                len(ids) == 1 and set(PLACEHOLDER.findall(string)) != wanted
            ):
                wrong.append(msgid(m))
    assert not wrong, f"{lang}: placeholders differ from the message's:\n{listing(wrong)}"


# -- Every refusal's message is an N_() template ------------------------------------------


def service_modules():
    for path in sorted((ROOT / "services").rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield path, importlib.import_module(name.removesuffix(".__init__"))


def _is_refusal(thing) -> bool:
    return inspect.isclass(thing) and issubclass(thing, DomainError)


def _resolve(node: ast.expr, namespace: dict):
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _message_argument(call: ast.Call, init) -> ast.expr | None:
    """The expression the call passes as `message`, or None when the class takes none."""
    parameters = [p for p in inspect.signature(init).parameters.values()][1:]  # self
    names = [p.name for p in parameters]
    if "message" not in names:
        return None
    for keyword in call.keywords:
        if keyword.arg == "message":
            return keyword.value
    position = names.index("message")
    return call.args[position] if position < len(call.args) else None


def _argument(call: ast.Call, function, name: str) -> ast.expr | None:
    """The expression a call passes as the function's parameter `name`."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    position = list(inspect.signature(function).parameters).index(name)
    return call.args[position] if position < len(call.args) else None


def _next_init(cls):
    for base in cls.__mro__[1:]:
        if "__init__" in base.__dict__:
            return base.__init__
    raise AssertionError(cls)


def _n_default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """The function's parameter `name` defaults to an N_("…") template."""
    args = function.args
    positional = args.posonlyargs + args.args
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
    return any(
        a.arg == name
        and isinstance(d, ast.Call)
        and isinstance(d.func, ast.Name)
        and d.func.id == "N_"
        for a, d in pairs
    )


class _RefusalVisitor(ast.NodeVisitor):
    """Finds every construction of a DomainError and checks what it passes as the message."""

    def __init__(self, path: Path, namespace: dict, helpers: dict | None = None) -> None:
        self.path, self.namespace = path, namespace
        # {function: the name of its parameter it hands on as a refusal's message}
        self.helpers: dict = {} if helpers is None else helpers
        self.classes: list[type | None] = []
        self.functions: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
        self.problems: list[str] = []
        self.templates: list[tuple[str, str]] = []  # (message, where)

    def visit_ClassDef(self, node):
        self.classes.append(self.namespace.get(node.name))
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node):
        self.functions.append(node)
        self.generic_visit(node)
        self.functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        self.generic_visit(node)
        where = f"{self.path.relative_to(ROOT)}:{node.lineno}"
        helper = _resolve(node.func, self.namespace)
        if callable(helper) and helper in self.helpers:
            message = _argument(node, helper, self.helpers[helper])
            if message is not None:
                self._check_template(node, message, where, values_filled=True)
            return
        init = self._constructed(node)
        if init is None:
            return
        message = _message_argument(node, init)
        if message is None:
            return
        # A refusal whose __init__ takes no values fills its template's values itself.
        filled = "values" not in inspect.signature(init).parameters
        self._check_template(node, message, where, values_filled=filled)

    def _check_template(self, node, message, where: str, *, values_filled: bool) -> None:
        if (
            isinstance(message, ast.Call)
            and isinstance(message.func, ast.Name)
            and message.func.id == "N_"
            and len(message.args) == 1
            and isinstance(message.args[0], ast.Constant)
            and isinstance(message.args[0].value, str)
        ):
            if not values_filled:
                self._check_values(node, message.args[0].value, where)
            self.templates.append((message.args[0].value, where))
        elif not self._forwarded(message):
            self.problems.append(f"{where}: the message is not an N_() template")

    def _constructed(self, node: ast.Call):
        """The __init__ the call runs, when it constructs a DomainError."""
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "__init__"
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Name)
            and func.value.func.id == "super"
        ):
            cls = self.classes[-1] if self.classes else None
            return _next_init(cls) if _is_refusal(cls) else None
        target = _resolve(func, self.namespace)
        return target.__init__ if _is_refusal(target) else None

    def _forwarded(self, message: ast.expr) -> bool:
        """A refusal's __init__ handing on the message its caller gave (checked at the caller),
        a caught refusal's own message handed on (`refused.message`), or a parameter whose
        default is an N_() template."""
        if (
            isinstance(message, ast.Attribute)
            and message.attr == "message"
            and isinstance(message.value, ast.Name)
        ):
            return True
        if (
            isinstance(message, ast.Name)
            and self.functions
            and _n_default(self.functions[-1], message.id)
        ):
            return True
        if isinstance(message, ast.Name) and self.functions and not self.classes:
            # A module's helper handing on its caller's message: checked at each call.
            function = self.namespace.get(self.functions[-1].name)
            if callable(function) and message.id in inspect.signature(function).parameters:
                self.helpers[function] = message.id
                return True
        if not (isinstance(message, ast.Name) and self.functions and self.classes):
            return False
        function = self.functions[-1]
        return (
            function.name == "__init__"
            and _is_refusal(self.classes[-1])
            and message.id in {a.arg for a in function.args.args + function.args.kwonlyargs}
        )

    def _check_values(self, call: ast.Call, template: str, where: str) -> None:
        wanted = set(PLACEHOLDER.findall(template))
        given = next((k.value for k in call.keywords if k.arg == "values"), None)
        if isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) for k in given.keys):
            keys = {k.value for k in given.keys}
            if keys != wanted:
                self.problems.append(
                    f"{where}: values {sorted(keys)} do not fill the template's {sorted(wanted)}"
                )
        elif given is None and wanted:
            self.problems.append(f"{where}: the template's {sorted(wanted)} are given no values")


@pytest.fixture(scope="module")
def refusals() -> _RefusalVisitor:
    modules = [
        (path, module, ast.parse(path.read_text(), filename=str(path)))
        for path, module in service_modules()
    ]
    # First the helpers that hand a caller's message on to a refusal, then every call.
    helpers: dict = {}
    for path, module, tree in modules:
        _RefusalVisitor(path, vars(module), helpers).visit(tree)
    everything = _RefusalVisitor(ROOT, {})
    for path, module, tree in modules:
        visitor = _RefusalVisitor(path, vars(module), helpers)
        visitor.visit(tree)
        everything.problems += visitor.problems
        everything.templates += visitor.templates
    return everything


def test_every_refusal_in_the_services_is_an_n_template_with_its_values(refusals):
    assert refusals.templates, "no refusal found: the scan is broken"
    assert not refusals.problems, "\n".join(refusals.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_refusal_message_is_translated(lang, refusals):
    translated = {msgid(m) for m in catalogue(lang) if m.id and is_translated(m)}
    missing = {message for message, _ in refusals.templates} - translated
    assert not missing, (
        f"{lang}: {len(missing)} refusals not translated; run `make translations` and"
        f" translate them in services/locale/{lang}/LC_MESSAGES/messages.po:\n{listing(missing)}"
    )


def test_a_tendering_refusal_reads_in_the_users_language_with_its_figures():
    from decimal import Decimal

    from services.tendering.rules import InvalidPrice

    refusal = InvalidPrice(Decimal("-1200.5"))
    assert refusal.translated("nn") == "Ein pris må vere over 0 kr, ikkje -1\u00a0200,5."
    assert refusal.translated("nb") == "En pris må være over 0 kr, ikke -1\u00a0200,5."
    assert refusal.translated("en") == "A price is above NOK 0, not -1,200.5."


MARKERS = {"_", "N_", "gettext", "ngettext"}


def _marked_inside_fstrings(tree: ast.AST) -> list[int]:
    """Lines where a message is marked inside an f-string's braces."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for value in ast.walk(node):
                if (
                    isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Name)
                    and value.func.id in MARKERS
                    and any(isinstance(a, ast.Constant) for a in value.args)
                ):
                    lines.append(value.lineno)
    return lines


def test_no_message_is_marked_inside_an_f_string():
    # Babel's extractor does not read inside an f-string's braces: such a message never reaches
    # the catalogues, and the page shows it in English (the dashboards' "Computed at" did).
    found = {}
    for folder in ("services", "web", "workers", "tenants", "infra"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if lines := _marked_inside_fstrings(ast.parse(path.read_text(), str(path))):
                found[str(path.relative_to(ROOT))] = lines
    assert found == {}


def test_the_f_string_check_finds_a_marked_message():
    assert _marked_inside_fstrings(ast.parse('x = f"{gettext(lang, N_(\'Hello\'))} there"')) == [1]
