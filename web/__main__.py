"""`python -m web`: serve the app with uvicorn on SAMSPEL_HOST:SAMSPEL_PORT.

With SAMSPEL_WEB_PROCESSES above 1, uvicorn starts that many processes that accept on one
socket (and starts one again if it dies); each builds its own app from the same settings. No
process keeps anything another needs: sessions, the kept public pages and the rate counts are
in Redis, everything else in PostgreSQL.
"""

import sys

import uvicorn

from infra.settings import SettingsError, load


def app():
    """The app factory each process calls (uvicorn's `factory=True`): the app behind its front
    door (web/front.py), which answers a probe and a static file before the framework."""
    from web.app import create_app
    from web.front import front

    settings = load()
    return front(create_app(settings), settings)


def main() -> int:
    try:
        settings = load()
    except SettingsError as error:
        print(f"samspel web: {error}", file=sys.stderr)
        return 2
    options = {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,  # our middleware logs one JSON line per request instead
        "log_level": "warning",
        "proxy_headers": True,
    }
    if settings.web_processes > 1:
        uvicorn.run("web.__main__:app", factory=True, workers=settings.web_processes, **options)
    else:
        uvicorn.run(app(), **options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
