"""Text kernels every domain shares: the tokeniser and UTF-8 buffers (``tokens``), MinHash
signatures and near pairs (``minhash``), the LSH band table (``lsh``), normalisation and its
content hash (``normalize``), column hashing (``hashing``).

This floor imports nothing of the project above ``errors`` and ``settings``: curation,
governance and annotation all build on it, never the other way round.
"""
