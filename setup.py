"""What pyproject.toml cannot say: the files the repository keeps at its root (config.py,
templates/, migrations/, rules/, plans/) travel in the wheel as the package vscapp._root, where
`vscapp.root()` and `vscapp.settings()` find them; no top-level `config` module is installed.
An editable install (`pip install -e .`) reads them where they are, at the checkout's root."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ROOT_FILES = ("config.py", "templates", "migrations", "rules", "plans")


class BuildWithRootFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "vscapp" / "_root"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        (target / "__init__.py").write_text(
            '"""The repository root\'s files (config.py, templates/, migrations/, rules/, '
            'plans/), copied here by setup.py when the wheel is built."""\n')
        for name in ROOT_FILES:
            source = HERE / name
            if source.is_dir():
                shutil.copytree(source, target / name,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            else:
                shutil.copy2(source, target / name)


setup(cmdclass={"build_py": BuildWithRootFiles})
