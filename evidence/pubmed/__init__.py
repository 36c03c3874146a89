"""PubMed: the E-utilities client, the record parser, resolution of citations, the local store."""
