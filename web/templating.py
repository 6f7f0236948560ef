"""MiniJinja set up with the gettext functions, and one helper that picks a page or its fragment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from babel.numbers import format_decimal
from litestar import Request
from litestar.plugins.htmx import HTMXTemplate
from litestar.plugins.minijinja import MiniJinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from minijinja import pass_state

from services.access.rules import ROLE_NAMES
from web.i18n import LANGUAGE_NAMES, LANGUAGES, gettext, ngettext

TEMPLATES = Path(__file__).parent / "templates"


def _lang(state: Any) -> str:
    return state.lookup("lang") or "nb"


def amount_text(amount: Decimal | int | None, lang: str) -> str:
    """An amount as its readers write it: 1 200 000 in Norwegian, 1,200,000 in English."""
    if amount is None:
        return ""
    locale = {"nb": "nb_NO", "nn": "nn_NO"}.get(lang, "en_GB")
    return format_decimal(Decimal(amount), format="#,##0.##", locale=locale)


def _configure(engine: MiniJinjaTemplateEngine) -> None:
    env = engine.engine
    env.add_global("_", pass_state(lambda state, msg, **kw: gettext(_lang(state), msg, **kw)))
    env.add_global(
        "ngettext",
        pass_state(lambda state, s, p, n, **kw: ngettext(_lang(state), s, p, n, **kw)),
    )
    env.add_global(
        "role_name",
        pass_state(
            lambda state, scope, role: gettext(_lang(state), ROLE_NAMES.get((scope, role), role))
        ),
    )
    env.add_global("nok", pass_state(lambda state, amount: amount_text(amount, _lang(state))))
    env.add_global("LANGUAGES", list(LANGUAGES))
    env.add_global("LANGUAGE_NAMES", LANGUAGE_NAMES)


def template_config() -> TemplateConfig:
    return TemplateConfig(
        directory=TEMPLATES, engine=MiniJinjaTemplateEngine, engine_callback=_configure
    )


def wants_fragment(request: Request) -> bool:
    """An htmx swap asks for the fragment; a boosted link or a history restore wants the page."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    page: str,
    *,
    fragment: str | None = None,
    status_code: int = 200,
    **context: Any,
) -> Template:
    """A full page, or (for htmx) the named fragment that sits beside it as _name.html."""
    context.setdefault("lang", request.state.get("lang", "nb"))
    # The page's own address, query included, so switching language keeps a list's filter.
    query = request.url.query
    context.setdefault("path", request.url.path + (f"?{query}" if query else ""))
    context.setdefault("principal", request.state.get("principal"))
    if fragment and wants_fragment(request):
        return HTMXTemplate(
            template_name=fragment,
            context=context,
            headers={"Vary": "HX-Request"},
            status_code=status_code,
        )
    headers = {"Vary": "HX-Request"} if fragment else None
    return Template(template_name=page, context=context, headers=headers, status_code=status_code)
