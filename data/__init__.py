"""The SQL store: schema, configuration, the synthetic demo trust and loaders for real extracts."""
