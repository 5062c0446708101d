"""data_platform: raw -> cleaned -> annotated -> released training datasets, orchestrated by Dagster."""

__version__ = "0.1.0"
