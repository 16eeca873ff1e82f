"""The SOP catalog: SOP files on disk, validated into frozen domain objects."""

from loket.catalog.catalog import Catalog, CatalogError, default_sop_dirs
from loket.catalog.loader import SopFileError, load_sop_file, parse_sop

__all__ = [
    "Catalog",
    "CatalogError",
    "SopFileError",
    "default_sop_dirs",
    "load_sop_file",
    "parse_sop",
]
