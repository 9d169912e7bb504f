"""The public surface is explicit and complete."""

from __future__ import annotations

import importlib
import pkgutil

import toolkit

from .conftest import ROOT


def test_everything_in_all_is_importable():
    for name in toolkit.__all__:
        assert hasattr(toolkit, name), name


def test_every_public_error_class_is_exported_and_has_a_documented_code():
    from toolkit import errors

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert name in toolkit.__all__
        assert f"| {cls.code} | `{name}` |" in readme


def test_every_module_imports_cleanly():
    for module in pkgutil.walk_packages(toolkit.__path__, "toolkit."):
        importlib.import_module(module.name)


def test_every_command_and_option_is_documented_in_the_readme():
    import typer.main

    from toolkit.cli import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = typer.main.get_command(app)
    undocumented = [
        f"{name} {option}"
        for name, sub in sorted(command.commands.items())
        for option in [f"jixiao {name}"]
        + [o for p in sub.params for o in p.opts if o.startswith("--") and o != "--help"]
        if option not in readme
    ]
    assert undocumented == []
    assert len(command.commands) == 11
