"""What everything stands on: paths, periods, Dutch number and date formats, safe text, keys, the URL context,
metadata and map geometry, form checks, the chart, map, export and Word house style, the collaborative store engine
with its rate limits, incident codes and bounded JSON for untrusted files. Imports nothing else of ratc."""
