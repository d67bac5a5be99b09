"""Scenario planning: the model (national path and municipal projection), its parameters and presets, share-link
settings, charts and saved scenarios. May import ratc.core, ratc.warehouse, and ratc.monitor as a declared seam: a
scenario starts from the monitor's observed figures."""
