"""`python -m web`: serve the app with uvicorn on SAMSPEL_HOST:SAMSPEL_PORT."""

import sys

import uvicorn

from infra.settings import SettingsError, load


def main() -> int:
    try:
        settings = load()
    except SettingsError as error:
        print(f"samspel web: {error}", file=sys.stderr)
        return 2
    from web.app import create_app

    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # our middleware logs one JSON line per request instead
        log_level="warning",
        proxy_headers=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
