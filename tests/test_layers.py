"""The layers of docs/architecture.md hold: `make test` runs import-linter, and each contract
fails on the mistake it is there for (a copy of the apps is given one, and the linter run on it)."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The apps the contracts name, as pyproject.toml lists them.
APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]


def lint_imports(tree):
    result = subprocess.run(
        [Path(sys.executable).parent / "lint-imports", "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture(scope="module")
def copy_of_the_apps(tmp_path_factory):
    def make(mistake=None):
        tree = tmp_path_factory.mktemp("layers")
        for app in APPS:
            shutil.copytree(ROOT / app, tree / app, ignore=shutil.ignore_patterns("migrations", "__pycache__"))
        shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
        if mistake:
            module, line = mistake
            path = tree / module
            path.write_text(path.read_text() + f"\n\ndef _mistake():\n    {line}\n")
        return tree

    return make


def test_the_apps_keep_every_contract(copy_of_the_apps):
    code, output = lint_imports(copy_of_the_apps())
    assert code == 0, output
    assert "4 kept, 0 broken" in output


@pytest.mark.parametrize(
    "mistake, contract",
    [
        (("booking/rules.py", "from home import models"), "Each app imports only from the layers below it"),
        (("portal/areas.py", "from booking.models import Room"), "Each app imports only from the layers below it"),
        (("staff/plans.py", "from services.models import ServiceTraining"), "the layers below it"),
        (("portal/dates.py", "from portal import sites"), "No import circles between the modules of an app"),
        (("staff/models.py", "from staff import admin_views"), "Models never import admin modules"),
        (("activities/views.py", "from staff import wagtail_hooks"), "Only Wagtail loads an app's hooks"),
        (("outreach/views.py", "from outreach import template_admin"), "Only Wagtail loads an app's hooks"),
    ],
)
def test_each_contract_catches_its_mistake(copy_of_the_apps, mistake, contract):
    code, output = lint_imports(copy_of_the_apps(mistake))
    assert code != 0
    assert f"{contract}" in output.split("Broken contracts")[-1]
