"""Track 2, interpreting together: hang-out sessions, participants, cards and dot votes, the board, pinned
views, good practices and the session report. May import ratc.core, ratc.warehouse, and as declared seams ratc.monitor
and ratc.scenario: a pinned view is a monitor or scenario figure drawn again (the scenario's through importlib, so a
hang-out works without the scenario package)."""
