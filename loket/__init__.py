"""Loket core: every rule of the permit office, usable without Qt."""

__version__ = "0.1.0"
