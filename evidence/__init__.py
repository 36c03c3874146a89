"""evidence: claims in documents, the papers they cite, and whether the citations hold up."""

__version__ = "0.1.0"
