"""The DuckDB warehouse: building it from `data/` (atomic, only when sources changed), the import ledger, the
pre-crisis baselines and reading it through named queries. May import ratc.core."""
