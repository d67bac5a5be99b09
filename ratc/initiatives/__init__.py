"""Initiatives of society: the registry of initiatives and their offers and needs, matching supply with
demand, and what the Initiatieven page shows. May import ratc.core."""
