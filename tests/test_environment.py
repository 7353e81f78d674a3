"""The conda/Binder environment and the lock file agree with pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names: dict[str, Requirement] = {}
    # The [lab] pin of Django (6.1) is the one the environment uses, so it comes last and wins.
    for spec in [
        *project["dependencies"],
        *(s for extra in project["optional-dependencies"].values() for s in extra),
    ]:
        requirement = Requirement(spec)
        names[canonicalize_name(requirement.name)] = requirement
    return names


def _environment_requirements() -> dict[str, Requirement]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in environment["dependencies"] if isinstance(d, dict))
    requirements = [Requirement(spec) for spec in pip_section if not spec.startswith("-e")]
    return {canonicalize_name(r.name): r for r in requirements}


def test_environment_yml_lists_the_same_packages_as_pyproject() -> None:
    expected, actual = _pyproject_requirements(), _environment_requirements()
    assert sorted(actual) == sorted(expected)
    for name, requirement in expected.items():
        assert actual[name].specifier == requirement.specifier, name
        assert actual[name].extras == requirement.extras, name


def test_environment_yml_python_matches_the_lab_line() -> None:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "python=3.12" in environment["dependencies"]


def test_lock_file_pins_every_dependency_within_pyproject_ranges() -> None:
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)", line)
        if match:
            pins[canonicalize_name(match.group(1).split("[")[0])] = match.group(2)
    for name, requirement in _pyproject_requirements().items():
        assert name in pins, f"{name} is not pinned in requirements/lock.txt"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])
