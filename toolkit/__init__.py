"""jixiao: Chinese budget performance-goal disclosures as open data.

The public surface is listed in ``__all__``; the CLI (``toolkit.cli``) is a thin layer over it.
Each public name is imported from its module on first use: ``import toolkit`` alone loads
none of the writers (nearly a second of imports), so the ``jixiao`` command can catch a
Ctrl-C while they load (:mod:`toolkit.entry`) and a pool worker imports only what it runs.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Each public name, by the module it comes from.
_EXPORTS = {
    "toolkit.endpoint": ["serve_sparql"],
    "toolkit.errors": ["ConfigError", "JixiaoError", "OutputError", "ParseError", "PublishError"],
    "toolkit.metadata": ["DocumentMetadata"],
    "toolkit.model": ["Disclosure", "Indicator", "Project", "Target"],
    "toolkit.package": ["build_package", "validate_package", "write_package", "zip_package"],
    "toolkit.package_schema": ["package_resources"],
    "toolkit.publish": ["publish"],
    "toolkit.quality": ["AuditConfig", "Finding", "audit"],
    "toolkit.rdf": ["from_graph", "project_graph", "to_graph", "write_rdf"],
    "toolkit.reading": ["read"],
    "toolkit.site": ["build_site", "write_site"],
    "toolkit.sparql": ["QueryResult", "run_query"],
    "toolkit.sparql_client": ["query_endpoint"],
    "toolkit.store": ["load_store", "query_store"],
    "toolkit.targets": ["parse_target"],
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted([*_MODULE_OF, "__version__"])


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
