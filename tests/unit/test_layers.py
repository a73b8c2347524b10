"""The house by layer: imports only go down, and no module imports itself back through others.

cli → prompts, render → readmodels, casework → store → domain. `errors` and `messages` serve every layer.
Every import counts, the ones inside functions too: a lazy import still makes a dependency.
"""

import ast
from pathlib import Path

import lingkaran

PACKAGE = Path(lingkaran.__file__).parent

# What each layer may import besides itself and the shared modules (see docs/design.md, "The house by layer").
MAY_IMPORT = {
    "cli": {"prompts", "render", "readmodels", "casework", "store", "domain"},
    "prompts": {"render", "readmodels", "casework", "store", "domain"},
    "render": {"readmodels", "domain"},
    "readmodels": {"store", "domain"},
    "casework": {"store", "domain"},
    "store": {"domain"},
    "domain": set(),
}
SHARED = {"errors", "messages"}
ENTRY_POINTS = {"__init__", "__main__"}  # the package itself and `python -m lingkaran` start the cli


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path) -> set[str]:
    """The package's own modules `path` imports, anywhere in the file."""
    own = root.name
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == own}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == own and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                is_module = (root.parent / Path(*submodule.split("."))).with_suffix(".py").exists() or (
                    root.parent / Path(*submodule.split("."))
                ).is_dir()
                found.add(submodule if is_module else node.module)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    return {module_name(path, root): imports_of(path, root) for path in sorted(root.rglob("*.py"))}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Each import that goes up or sideways between layers, as 'importer -> imported'."""
    wrong = []
    for importer, imported in graph.items():
        home = layer(importer)
        for target in sorted(imported):
            there = layer(target)
            if home in ENTRY_POINTS or there in SHARED or there == home or target == importer.split(".")[0]:
                continue
            if there not in MAY_IMPORT.get(home, set()):
                wrong.append(f"{importer} -> {target}")
    return wrong


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle found by a depth-first walk (each reported once, from where it was entered)."""
    found, state = [], {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = "open"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                found.append(trail[trail.index(target) :] + [target])
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    return found


def test_every_import_goes_down_the_layers():
    assert upward_imports(import_graph(PACKAGE)) == []


def test_no_module_imports_itself_back_through_others():
    assert circles(import_graph(PACKAGE)) == []


def planted(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "lingkaran"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_the_layer_rule_catches_a_planted_upward_import(tmp_path):
    root = planted(
        tmp_path,
        {
            "__init__.py": "",
            "store/__init__.py": "",
            "cli/__init__.py": "",
            "cli/app.py": "",
            "store/records.py": "def f():\n    from lingkaran.cli import app\n",
        },
    )
    assert upward_imports(import_graph(root)) == ["lingkaran.store.records -> lingkaran.cli.app"]


def test_the_circle_rule_catches_a_planted_circle(tmp_path):
    root = planted(
        tmp_path,
        {
            "__init__.py": "",
            "store/__init__.py": "",
            "store/a.py": "from lingkaran.store import b\n",
            "store/b.py": "def f():\n    import lingkaran.store.a\n",
        },
    )
    assert circles(import_graph(root)) == [["lingkaran.store.a", "lingkaran.store.b", "lingkaran.store.a"]]
