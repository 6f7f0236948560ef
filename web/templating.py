"""MiniJinja set up with the gettext functions, and one helper that picks a page or its fragment."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from litestar import Request
from litestar.plugins.htmx import HTMXTemplate
from litestar.plugins.minijinja import MiniJinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from minijinja import Markup, pass_state

from services.access.rules import ROLE_NAMES
from web.assets import load as load_assets
from web.assets import url as asset_url
from web.breadcrumbs import trail
from web.i18n import LANGUAGE_NAMES, LANGUAGES, gettext, ngettext

TEMPLATES = Path(__file__).parent / "templates"
OSLO = ZoneInfo("Europe/Oslo")  # the clock Norwegian deadlines, letters and protocols are read by


def _lang(state: Any) -> str:
    return state.lookup("lang") or "nb"


def amount_text(amount: Decimal | int | None, lang: str) -> str:
    """An amount as its readers write it: 1 200 000 in Norwegian, 1,200,000 in English."""
    if amount is None:
        return ""
    return format_decimal(Decimal(amount), format="#,##0.##", locale=_locale(lang))


def _locale(lang: str) -> str:
    return {"nb": "nb_NO", "nn": "nn_NO"}.get(lang, "en_GB")


def kroner_text(amount: Decimal | int | str | None, lang: str) -> str:
    """An amount with its unit as a letter writes it: "1 200 000 kr" (English "NOK 1,200,000")."""
    if amount is None or amount == "":
        return ""
    number = amount_text(Decimal(amount), lang)
    return f"NOK {number}" if lang == "en" else f"{number}\u00a0kr"


def score_text(score: Decimal | int | str | None, lang: str, places: int = 2) -> str:
    """A score with its decimals in the reader's notation: "86,84" in nb and nn, "86.84" in en."""
    if score is None or score == "":
        return ""
    pattern = "0." + "0" * places if places else "0"
    return format_decimal(Decimal(score), format=pattern, locale=_locale(lang))


def date_text(moment: datetime | None) -> str:
    """A day on the Norwegian calendar: 14.12.2026."""
    return moment.astimezone(OSLO).strftime("%d.%m.%Y") if moment else ""


def time_text(moment: datetime | None, lang: str, *, seconds: bool = False) -> str:
    """A moment on the Norwegian clock: "14.12.2026 kl. 12.00" (English "14.12.2026 at 12:00");
    with seconds where the order of events is the point, as in a protocol."""
    if moment is None:
        return ""
    local = moment.astimezone(OSLO)
    sep = ":" if lang == "en" else "."
    clock = local.strftime(f"%H{sep}%M" + (f"{sep}%S" if seconds else ""))
    return local.strftime("%d.%m.%Y") + (" at " if lang == "en" else " kl. ") + clock


def _configure(engine: MiniJinjaTemplateEngine, files: dict[str, Any]) -> None:
    env = engine.engine
    # A static file's versioned URL, cached by browsers for good (web/assets.py).
    # Markup: a path of ours, never a user's text; unescaped so it reads as /static/… in the page.
    env.add_global("asset", lambda name: Markup(asset_url(files, name)))
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
    env.add_global("kr", pass_state(lambda state, amount: kroner_text(amount, _lang(state))))
    env.add_global("score", pass_state(lambda state, value: score_text(value, _lang(state))))
    env.add_global("day", date_text)
    env.add_global("at", pass_state(lambda state, moment: time_text(moment, _lang(state))))
    env.add_global(
        "trail",
        pass_state(
            lambda state, path: trail(
                path, _lang(state), state.lookup("principal"), lookup=state.lookup
            )
        ),
    )
    env.add_global("LANGUAGES", list(LANGUAGES))
    env.add_global("LANGUAGE_NAMES", LANGUAGE_NAMES)


def template_config(files: dict[str, Any] | None = None) -> TemplateConfig:
    known = files if files is not None else load_assets()
    return TemplateConfig(
        directory=TEMPLATES,
        engine=MiniJinjaTemplateEngine,
        engine_callback=lambda engine: _configure(engine, known),
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
