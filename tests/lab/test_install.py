"""lab/install.py: the project's JupyterLab settings go into an environment, keeping what is there."""

import json
import subprocess
import sys
from pathlib import Path

from tests.tutorial_site.cli import REPO_ROOT

INSTALL = REPO_ROOT / "lab" / "install.py"
OVERRIDES = Path("share/jupyter/lab/settings/overrides.d/django-orm-lab.json")
LAB_CONFIG = Path("etc/jupyter/jupyter_lab_config.json")


def install(prefix: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(INSTALL), "--prefix", str(prefix)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_installs_the_overrides_and_the_landing_folder(tmp_path: Path) -> None:
    result = install(tmp_path)
    assert result.returncode == 0, result.stderr
    overrides = json.loads((tmp_path / OVERRIDES).read_text())
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    config = json.loads((tmp_path / LAB_CONFIG).read_text())
    assert config == {"LabApp": {"default_url": "/lab/tree/notebooks"}}
    assert str(tmp_path / OVERRIDES) in result.stdout


def test_keeps_other_settings_and_runs_again_unchanged(tmp_path: Path) -> None:
    config = tmp_path / LAB_CONFIG
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"LabApp": {"collaborative": True}, "ServerApp": {"port": 9999}}))
    assert install(tmp_path).returncode == 0
    first = config.read_text()
    assert json.loads(first) == {
        "LabApp": {"collaborative": True, "default_url": "/lab/tree/notebooks"},
        "ServerApp": {"port": 9999},
    }
    assert install(tmp_path).returncode == 0
    assert config.read_text() == first


def test_a_config_that_is_not_json_is_reported_and_left_alone(tmp_path: Path) -> None:
    config = tmp_path / LAB_CONFIG
    config.parent.mkdir(parents=True)
    config.write_text("c.LabApp.default_url = '/lab'  # Python, in a .json file\n")
    result = install(tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"lab/install.py: {config} is not valid JSON")
    assert "left unchanged" in result.stderr
    assert config.read_text() == "c.LabApp.default_url = '/lab'  # Python, in a .json file\n"
