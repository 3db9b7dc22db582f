"""Build hook: compile the message catalogues (``plankg/locale/*/LC_MESSAGES/plankg.po``) to ``.mo``.

Everything else about the package is in pyproject.toml. The ``.mo`` files are build products,
never committed: a wheel gets them in its build directory, an editable install (``pip install
-e .``, as the README's quick start does) next to the ``.po`` in the source tree, where the
installed package reads them. Babel is a build requirement ([build-system] requires).
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LOCALE = Path("plankg") / "locale"


class build_py_with_catalogues(build_py):  # noqa: N801 (setuptools command names are lower case)
    """``build_py`` that also compiles each ``.po`` to its ``.mo``."""

    def run(self) -> None:
        super().run()
        target = ROOT if self.editable_mode else Path(self.build_lib)
        for mo in compile_catalogues(target):
            self.announce(f"compiled {mo}", level=2)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not self.editable_mode:
            outputs += [str(Path(self.build_lib) / mo) for mo in _catalogues()]
        return outputs


def _catalogues() -> list[Path]:
    """Each ``.mo`` to build, relative to the project root."""
    return [po.relative_to(ROOT).with_suffix(".mo") for po in sorted((ROOT / LOCALE).glob("*/LC_MESSAGES/*.po"))]


def compile_catalogues(target: Path) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for mo in _catalogues():
        with (ROOT / mo.with_suffix(".po")).open("rb") as handle:
            catalog = read_po(handle)
        path = target / mo
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_mo(handle, catalog)
        written.append(path)
    return written


setup(cmdclass={"build_py": build_py_with_catalogues})
