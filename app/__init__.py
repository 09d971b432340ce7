"""Byte's composition root and delivery layer (settings, System, pages, API, auth)."""

__version__ = '0.1.0'
