"""The audit queries and lake views, shipped as the package ``data_platform.sql`` (pyproject.toml
maps this folder there), so an installed wheel and a source checkout read them alike with
importlib.resources."""
