"""Install the lab's JupyterLab settings into a Python environment: ``make install`` and Binder's postBuild.

    python lab/install.py [--prefix PREFIX]      (default: the running interpreter's sys.prefix)

- ``lab/overrides.json`` becomes ``PREFIX/share/jupyter/lab/settings/overrides.d/django-orm-lab.json``:
  new defaults for every learner (no "Jupyter news?" pop-up, no update check). A learner's own choices
  in Settings still win.
- ``lab/jupyter_lab_config.json`` is merged into ``PREFIX/etc/jupyter/jupyter_lab_config.json``: a
  ``jupyter lab`` started in the project folder opens on ``notebooks/``. Keys already there for other
  settings are kept; a file that is not valid JSON is left untouched and reported.

Only the standard library: it runs before anything else is importable.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OVERRIDES = HERE / "overrides.json"
LAB_CONFIG = HERE / "jupyter_lab_config.json"
OVERRIDES_NAME = "django-orm-lab.json"


class InstallError(Exception):
    """The settings cannot be installed as asked; the message says why and what to do."""


def overrides_path(prefix: Path) -> Path:
    return prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / OVERRIDES_NAME


def lab_config_path(prefix: Path) -> Path:
    return prefix / "etc" / "jupyter" / "jupyter_lab_config.json"


def _merge(into: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
    return into


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InstallError(
            f"{path} is not valid JSON ({exc}); it was left unchanged. Fix or remove it, then re-run "
            "`make install` (or python lab/install.py)."
        ) from exc
    if not isinstance(value, dict):
        raise InstallError(f"{path} does not hold a JSON object; it was left unchanged. Fix or remove it.")
    return value


def install(prefix: Path) -> list[Path]:
    """Write the settings under ``prefix``; return the files written."""
    overrides = overrides_path(prefix)
    overrides.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(OVERRIDES, overrides)

    config = lab_config_path(prefix)
    current = _read_json(config) if config.exists() else {}
    merged = _merge(current, _read_json(LAB_CONFIG))
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    return [overrides, config]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="environment prefix")
    args = parser.parse_args(argv)
    try:
        written = install(args.prefix)
    except (InstallError, OSError) as exc:
        print(f"lab/install.py: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"JupyterLab settings: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
