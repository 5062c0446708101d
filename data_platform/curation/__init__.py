"""Curation: normalisation, filtering and deduplication as functions on Polars frames."""

import os

# The compiled kernels run on numba's OpenMP threads. GNU OpenMP keeps them spinning after each
# parallel loop, which takes the cores from the Polars steps in between (measured: the quality
# rules ran 20% slower). Sleeping threads wake fast enough for loops of a few MB each. Set
# before any kernel starts the thread pool; a value the user chose stays.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
