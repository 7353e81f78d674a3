"""The debug toolbar and django-extensions are development tools: production never loads them."""

from pathlib import Path

from .cli import manage, run
from .test_settings import PRODUCTION, production_env

PROBE = (
    "import django; from django.conf import settings; django.setup(); "
    "print(sorted({'debug_toolbar', 'django_extensions'} & set(settings.INSTALLED_APPS)), "
    "any('debug_toolbar' in m for m in settings.MIDDLEWARE), "
    "any('ORMFindingsPanel' in p for p in getattr(settings, 'DEBUG_TOOLBAR_PANELS', [])))"
)


def settings_of(module: str, var_dir: Path, **env: str) -> str:
    result = run(["-c", PROBE], var_dir, DJANGO_SETTINGS_MODULE=module, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_development_has_the_toolbar_with_our_panel_and_django_extensions(tmp_path: Path) -> None:
    assert (
        settings_of("tutorial_site.settings", tmp_path) == "['debug_toolbar', 'django_extensions'] True True"
    )


def test_tests_have_the_toolbar_only(tmp_path: Path) -> None:
    assert settings_of("tutorial_site.settings.test", tmp_path) == "['debug_toolbar'] True True"


def test_production_has_neither(tmp_path: Path) -> None:
    assert settings_of(PRODUCTION, tmp_path, **production_env()) == "[] False False"


def test_production_collects_the_pages_static_files_and_not_the_toolbars(tmp_path: Path) -> None:
    result = manage(
        "collectstatic", "--noinput", "--settings", PRODUCTION, var_dir=tmp_path, **production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    static = tmp_path / "static"
    assert (static / "pages" / "pages.css").is_file()
    assert (static / "site" / "site.css").is_file()
    assert not (static / "debug_toolbar").exists()
