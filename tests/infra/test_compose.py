"""docker-compose.yml is parsed (no Docker engine here) and every command it runs must exist."""

import importlib.util
import shlex
from pathlib import Path

import pytest
import yaml

from infra.launcher import read_procfile
from services.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
OURS = [name for name, service in SERVICES.items() if "build" in service]


def test_the_whole_stack_is_there():
    assert {"postgres", "redis", "migrate", "web", "worker", "scheduler", "idporten"} <= set(
        SERVICES
    )


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck(name):
    check = SERVICES[name].get("healthcheck", {})
    assert check.get("test") and not check.get("disable"), name


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_is_started_again_when_it_stops(name):
    # The one-shot migrate runs again only after a failure; everything else always comes back.
    expected = "on-failure" if name == "migrate" else "unless-stopped"
    assert SERVICES[name].get("restart") == expected, name


def assert_runnable(command: list[str]) -> None:
    assert command[:2] == ["python", "-m"], command
    module = command[2]
    assert importlib.util.find_spec(module) is not None, f"no module {module}"
    if module == "services.cli":
        assert command[3] in COMMANDS, f"no samspel command {command[3]}"


@pytest.mark.parametrize("name", sorted(OURS))
def test_each_service_command_exists_in_the_project(name):
    assert_runnable(SERVICES[name]["command"])
    assert (ROOT / SERVICES[name]["build"]["dockerfile"]).is_file()


@pytest.mark.parametrize("name", sorted(OURS))
def test_each_healthcheck_command_exists_in_the_project(name):
    test = SERVICES[name]["healthcheck"]["test"]
    if test[:4] == ["CMD", "python", "-m", "services.cli"]:
        assert_runnable(test[1:])


# make run's stand-ins for what compose takes from an image.
DEV_ONLY = {"mailcatcher": "mail"}


def test_make_run_starts_the_same_processes_as_compose():
    procfile = dict(read_procfile(ROOT / "Procfile"))
    for name, command in procfile.items():
        if name in DEV_ONLY:
            assert DEV_ONLY[name] in SERVICES
            assert_runnable(shlex.split(command))
            continue
        assert name in SERVICES, f"{name} runs in make run but not in compose"
        assert SERVICES[name]["command"] == shlex.split(command)
    assert {"web", "worker", "scheduler", "idporten"} <= procfile.keys()


def test_the_image_carries_every_package():
    dockerfile = (ROOT / "infra/Dockerfile").read_text()
    for package in ("infra", "tenants", "services", "web", "workers"):
        assert f"COPY {package} {package}" in dockerfile
