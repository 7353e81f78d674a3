"""The package's modules import each other without a circle, and its one exception has a home."""

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import profiler
from profiler import errors

PACKAGE = Path(profiler.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_exists(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """The ``profiler`` modules that ``module`` imports when it runs (at import or in a function),
    leaving out ``if TYPE_CHECKING:`` blocks and the package facade ``profiler`` itself."""
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module or ""
            if target == "profiler" or target.startswith("profiler."):
                for alias in node.names:  # `from . import _state` names a module
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if _module_exists(candidate) else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("profiler."))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard("profiler")
    found.discard(module)
    return found


def import_graph() -> dict[str, set[str]]:
    """``{module: the profiler modules it imports}`` for every module of the package."""
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        graph[module] = _runtime_imports(ast.parse(path.read_text()), module, path.name == "__init__.py")
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as ``[a, b, ..., a]``, or ``[]``."""
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for imported in sorted(graph.get(module, ())):
            cycle = walk(imported, [*path, module])
            if cycle:
                return cycle
        done.add(module)
        return []

    for module in sorted(graph):
        cycle = walk(module, [])
        if cycle:
            return cycle
    return []


def test_no_module_of_the_package_imports_another_in_a_circle() -> None:
    graph = import_graph()
    assert "profiler.explain" in graph["profiler.capture"]  # imports inside functions count
    assert "profiler._state" in graph["profiler.capture"]  # and `from . import name`
    cycle = find_cycle(graph)
    assert not cycle, "import circle: " + " -> ".join(cycle)


def test_the_cycle_finder_reports_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]


def test_explain_and_errors_do_not_import_the_capture() -> None:
    graph = import_graph()
    assert graph["profiler.errors"] == set()
    assert "profiler.capture" not in graph["profiler.explain"]


def test_profiler_error_is_one_class_under_its_public_name() -> None:
    assert profiler.ProfilerError is errors.ProfilerError
    for name in ("capture", "compare", "explain", "ipython"):  # `profiler.capture` is the function
        assert import_module(f"profiler.{name}").ProfilerError is errors.ProfilerError, name


def test_explain_imports_first_in_a_fresh_interpreter() -> None:
    code = (
        "import profiler.explain as e, profiler.errors as errors; "
        "assert e.ProfilerError is errors.ProfilerError; print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
