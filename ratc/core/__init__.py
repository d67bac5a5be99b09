"""What everything stands on: paths, periods, Dutch number and date formats, safe text, keys, the URL context,
metadata and map geometry, form checks, the chart, map and export house style, and the collaborative store engine.
Imports nothing else of ratc."""
