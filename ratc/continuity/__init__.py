"""Track 3, continuity of operations: each municipality's weekly report, the region's picture with help
offered and coupled, and what the continuity pages show. May import ratc.core."""
