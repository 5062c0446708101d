"""Each tier's recipe: what the tier does to a batch or a release, composed from the domains
(curation, governance, annotation). The Dagster assets in defs/ call these; they hold no
Dagster code themselves."""
