"""Getting figures in: bounding and reading and validating deliveries, the RIVM and CBS readers, the delivery
template, the data steward's key and downloads from public sources. May import ratc.warehouse and ratc.core."""
