"""Demo data, always labelled as such: generated observations for the warehouse and demo content for the shared
store. May import ratc.core, ratc.warehouse, and as declared seams ratc.continuity and ratc.initiatives (the demo
content of their stores)."""
