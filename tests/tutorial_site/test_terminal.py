"""TestFolder and manage(): pytest and manage.py run as in a terminal, output without machine paths."""

import pytest

from tutorial_site.terminal import REPO_ROOT, TestFolder, manage


def test_a_test_folder_runs_pytest_with_the_test_settings_and_short_paths() -> None:
    folder = TestFolder()
    try:
        folder.write(
            "test_site.py",
            """
            from django.conf import settings


            def test_settings():
                assert settings.SETTINGS_MODULE == "tutorial_site.settings.test"


            def test_home(client, db):
                assert client.get("/").status_code == 500
            """,
        )
        assert folder.read("test_site.py").startswith("from django.conf import settings\n")
        result = folder.pytest("--tb=line", "--color=no")
        assert result.returncode == 1
        text = str(result)
        assert "1 failed, 1 passed" in text
        assert "FAILED tests/test_site.py::test_home - assert 200 == 500" in text
        assert str(REPO_ROOT) not in text
        assert "var/lab-tests-" not in text
    finally:
        folder.remove()
    assert not folder.path.exists()


def test_manage_runs_with_this_process_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "CRITICAL")
    assert result.returncode == 0, result.text
    assert "System check identified" in result.text
    assert repr(result) == result.text


def test_a_test_folder_runs_as_on_a_laptop_even_on_a_ci_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """With CI set, pytest would print its summary untruncated: the notebook's output would differ."""
    monkeypatch.setenv("CI", "true")
    monkeypatch.setenv("REQUIRE_SERVICES", "1")
    folder = TestFolder()
    try:
        folder.write(
            "test_env.py",
            """
            import os


            def test_environment():
                assert [os.environ.get(name) for name in ("CI", "REQUIRE_SERVICES")] == [None, None]
            """,
        )
        result = folder.pytest("--color=no")
        assert result.returncode == 0, str(result)
    finally:
        folder.remove()
