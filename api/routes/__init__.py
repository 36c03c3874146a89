"""One router per resource: claims, citations, papers, documents, health."""
