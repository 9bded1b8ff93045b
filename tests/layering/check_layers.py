#!/usr/bin/python3
"""Fails when a file in src/<layer>/ includes a header of a layer it may not depend on.

The layers and what each may include come from DESIGN.md (each depends only on layers above it);
the server additionally never includes the store (it sees only the app facade). Each layer is
also a CMake target, so the target graph is checked here too: its target_link_libraries may name
only allowed layers.
"""
import pathlib
import re
import sys

# layer -> the layers its files may include (besides its own). Keep docs/ARCHITECTURE.md in step.
ALLOWED = {
    "core": set(),
    "stats": {"core"},
    "engine": {"core", "stats"},
    "store": {"core", "stats", "engine"},
    "io": {"core", "stats", "engine"},
    "report": {"core", "stats"},
    "net": {"core"},
    "app": {"core", "stats", "engine", "store", "io", "report", "net"},
    "server": {"core", "app"},
    "cli": {"core", "app", "server"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([a-z_]+)/[^>"]+[>"]', re.M)
LINK = re.compile(r"halsonav_([a-z_]+)")


def main(root: pathlib.Path) -> int:
    problems = []
    src = root / "src"
    for layer_dir in sorted(p for p in src.iterdir() if p.is_dir()):
        layer = layer_dir.name
        if layer not in ALLOWED:
            problems.append(f"src/{layer}: not a layer of DESIGN.md (add it to {__file__})")
            continue
        for path in sorted(layer_dir.rglob("*")):
            if path.suffix not in {".hpp", ".cpp", ".h", ".in"}:
                continue
            text = path.read_text(encoding="utf-8")
            for match in INCLUDE.finditer(text):
                target = match.group(1)
                if target in ALLOWED and target != layer and target not in ALLOWED[layer]:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(
                        f"{path.relative_to(root)}:{line}: layer '{layer}' includes "
                        f"'{match.group(0).strip()}' of layer '{target}'")
        cmake = layer_dir / "CMakeLists.txt"
        if cmake.exists():
            for match in LINK.finditer(cmake.read_text(encoding="utf-8")):
                target = match.group(1)
                if target in ALLOWED and target != layer and target not in ALLOWED[layer]:
                    problems.append(
                        f"{cmake.relative_to(root)}: layer '{layer}' links halsonav_{target}")
    for problem in problems:
        print(problem)
    print(f"{0 if problems else 1} passed, {1 if problems else 0} failed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
