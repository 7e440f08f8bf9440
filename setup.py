"""Packages of the wheel, and the build step that puts the embedded corpus in it.

``resources/`` and ``data.sqlite`` stay at the root of the checkout. The wheel
carries them as the package ``xref_explorer_resources`` (see `models.paths`):
``resources/`` is mapped to it, and ``data.sqlite`` is copied into it when the
wheel is built. An editable install reads both from the checkout instead.
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

RESOURCE_PACKAGE = "xref_explorer_resources"  # models.paths.RESOURCE_PACKAGE
CORPUS = "data.sqlite"


class BuildWithCorpus(build_py):
    """build_py, plus the embedded corpus copied into the resource package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:  # the checkout's data.sqlite is used in place
            return
        source = Path(CORPUS)
        if not source.is_file():
            raise SystemExit(f"error: {source.resolve()} is missing: the wheel would carry no corpus.")
        target = Path(self.build_lib, RESOURCE_PACKAGE, CORPUS)
        self.mkpath(str(target.parent))
        self.copy_file(str(source), str(target))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            outputs.append(str(Path(self.build_lib, RESOURCE_PACKAGE, CORPUS)))
        return outputs


setup(
    packages=[
        *find_namespace_packages(include=["models*", "desktop*"], exclude=["*.__pycache__"]),
        RESOURCE_PACKAGE,
        f"{RESOURCE_PACKAGE}.icons",
        f"{RESOURCE_PACKAGE}.reports",
    ],
    package_dir={RESOURCE_PACKAGE: "resources"},
    # Only what the app reads: not the README's screenshot.
    include_package_data=False,
    package_data={
        "models.db.migrations": ["*.mako"],
        RESOURCE_PACKAGE: ["*.toml"],
        f"{RESOURCE_PACKAGE}.icons": ["*.svg"],
        f"{RESOURCE_PACKAGE}.reports": ["*.txt"],
    },
    cmdclass={"build_py": BuildWithCorpus},
)
