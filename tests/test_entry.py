"""The ``jixiao`` command's start: light, and quiet when Ctrl-C comes while it loads."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points

from toolkit.entry import INTERRUPTED

from .conftest import ROOT


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


def test_the_command_is_the_entry_that_catches_ctrl_c():
    (script,) = entry_points(group="console_scripts", name="jixiao")
    assert script.value == "toolkit.entry:main"


def test_importing_the_package_loads_none_of_its_modules():
    run = _python("import sys, toolkit; print(sorted(m for m in sys.modules if 'toolkit' in m))")
    assert run.stdout == "['toolkit']\n"


def test_every_public_name_is_the_object_of_its_module():
    run = _python(
        "import importlib, toolkit\n"
        "for module, names in toolkit._EXPORTS.items():\n"
        "    for name in names:\n"
        "        assert getattr(toolkit, name) is getattr(importlib.import_module(module), name)\n"
        "print('ok')"
    )
    assert (run.stdout, run.stderr) == ("ok\n", "")


_CTRL_C_WHILE_LOADING = """
import sys

class CtrlC:
    # Ctrl-C lands while the CLI's modules are imported.
    def find_spec(self, name, path=None, target=None):
        if name == "toolkit.cli":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
sys.argv = ["jixiao", "build"]
from toolkit.entry import main
main()
"""


def test_ctrl_c_while_the_command_loads_exits_quietly():
    run = _python(_CTRL_C_WHILE_LOADING)
    assert (run.returncode, run.stdout, run.stderr) == (INTERRUPTED, "", "")
