"""Track 1, measuring: the overview, tiles, signals, profile, trends, coherence, map and sources, each a question
answered from the warehouse through a `query` function, and coverage: what cannot be shown yet and what is demo.
May import ratc.warehouse and ratc.core."""
