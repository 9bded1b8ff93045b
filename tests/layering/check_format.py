#!/usr/bin/python3
"""Fails when a C++ file under src/, tests/ or bench/ is not formatted as .clang-format says."""
import pathlib
import subprocess
import sys


def main(clang_format: str, root: pathlib.Path) -> int:
    files = sorted(
        str(p) for folder in ("src", "tests", "bench") if (root / folder).exists()
        for p in (root / folder).rglob("*") if p.suffix in {".cpp", ".hpp"})
    result = subprocess.run([clang_format, "--dry-run", "-Werror", *files], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stderr[:20000])
        print(f"run: {clang_format} -i $(git ls-files '*.cpp' '*.hpp')")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], pathlib.Path(sys.argv[2])))
