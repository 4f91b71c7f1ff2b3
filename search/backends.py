"""Placeholder until the search engine lands: stock Whoosh."""
from haystack.backends.whoosh_backend import WhooshEngine as ArchiveWhooshEngine  # noqa: F401
