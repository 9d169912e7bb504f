"""jixiao: Chinese budget performance-goal disclosures as open data.

The public surface is listed in ``__all__``; the CLI (``toolkit.cli``) is a thin layer over it.
"""

from toolkit.endpoint import serve_sparql
from toolkit.errors import ConfigError, JixiaoError, OutputError, ParseError, PublishError
from toolkit.metadata import DocumentMetadata
from toolkit.model import Disclosure, Indicator, Project, Target
from toolkit.package import build_package, validate_package, write_package, zip_package
from toolkit.package_schema import package_resources
from toolkit.publish import publish
from toolkit.quality import AuditConfig, Finding, audit
from toolkit.rdf import from_graph, project_graph, to_graph, write_rdf
from toolkit.reading import read
from toolkit.site import build_site, write_site
from toolkit.sparql import QueryResult, run_query
from toolkit.sparql_client import query_endpoint
from toolkit.store import load_store, query_store
from toolkit.targets import parse_target

__version__ = "0.1.0"

__all__ = [
    "AuditConfig",
    "ConfigError",
    "Disclosure",
    "DocumentMetadata",
    "Finding",
    "Indicator",
    "JixiaoError",
    "OutputError",
    "ParseError",
    "Project",
    "PublishError",
    "QueryResult",
    "Target",
    "__version__",
    "audit",
    "build_package",
    "build_site",
    "from_graph",
    "load_store",
    "package_resources",
    "parse_target",
    "project_graph",
    "publish",
    "query_endpoint",
    "query_store",
    "read",
    "run_query",
    "serve_sparql",
    "to_graph",
    "validate_package",
    "write_package",
    "write_rdf",
    "write_site",
    "zip_package",
]
