"""Formats exchanged with the tools people use beside the platform (Label Studio's labeling
configs, tasks and exports). Annotation's human loop and curation's spot checks both use them,
so they sit below both domains and import only sources/ (JSON limits) and errors."""
