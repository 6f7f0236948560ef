"""MiniJinja set up with the gettext functions, and one helper that picks a page or its fragment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.plugins.htmx import HTMXTemplate
from litestar.plugins.minijinja import MiniJinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig
from minijinja import Markup, pass_state

from services import formats
from services.access.rules import ROLE_NAMES
from web.assets import load as load_assets
from web.assets import url as asset_url
from web.breadcrumbs import trail
from web.csrf import token_of
from web.flash import cleared, said
from web.i18n import LANGUAGE_NAMES, LANGUAGES, gettext, ngettext

TEMPLATES = Path(__file__).parent / "templates"
OSLO = formats.OSLO


def _lang(state: Any) -> str:
    return state.lookup("lang") or "nb"


# The names the web layer imported before services.formats existed; they are its functions.
amount_text = formats.amount
kroner_text = formats.kroner
score_text = formats.score


def date_text(moment: datetime | date | str | None, lang: str = "nb") -> str:
    return formats.day(moment, lang)


def time_text(moment: datetime | str | None, lang: str = "nb", *, seconds: bool = False) -> str:
    return formats.when(moment, lang, seconds=seconds)


def _in_lang(write: Callable[..., str]) -> Any:
    """A formatter as a MiniJinja filter or function: the page's language comes from its state."""
    return pass_state(lambda state, value, *args, **kw: write(value, _lang(state), *args, **kw))


# {{ bid.price|kr }} "1 200 000 kr" · |amount "1 200 000" · |count "12 000" · |number "12,5"
# · |score "86,84" · |percent "40 %" · |size "17,7 kB" · |day "14.12.2026"
# · |at "14.12.2026 kl. 12.00" — each in the page's language (English: "NOK 1,200,000", "14 Dec 2026").
FILTERS: dict[str, Callable[..., str]] = {
    "kr": formats.kroner,
    "amount": formats.amount,
    "count": formats.count,
    "number": formats.number,
    "score": formats.score,
    "percent": formats.percent,
    "size": formats.size,
    "day": formats.day,
    "at": formats.when,
    "account": formats.account_number,
    "cell": formats.cell,
}


def _csrf_token(state: Any) -> str:
    """The request's CSRF token (web/csrf.py: the browser's cookie, or one made, and its cookie
    set, on first use); none on the public's copy of a page kept for the public
    (web/public_cache.py): it has no form to send."""
    return token_of(state.lookup("request").scope)


def _configure(engine: MiniJinjaTemplateEngine, files: dict[str, Any] | None = None) -> None:
    env = engine.engine
    files = files if files is not None else load_assets()
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
    for name, write in FILTERS.items():
        env.add_filter(name, _in_lang(write))
    # The older calling style, {{ kr(x) }}, for the names templates already use.
    for name, write in {
        "kr": formats.kroner,
        "score": formats.score,
        "nok": formats.amount,
        "day": formats.day,
        "at": formats.when,
    }.items():
        env.add_global(name, _in_lang(write))
    env.add_global(
        "trail",
        pass_state(
            lambda state, path: trail(
                path, _lang(state), state.lookup("principal"), lookup=state.lookup
            )
        ),
    )
    env.add_global("csrf_token", pass_state(_csrf_token))
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
    # The confirmation the last action left (web.flash): shown on this full page, then cleared.
    context["said"] = said(request)
    cookies = cleared(request) if context["said"] else None
    return Template(
        template_name=page,
        context=context,
        headers=headers,
        status_code=status_code,
        cookies=cookies,
    )
