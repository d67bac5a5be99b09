"""RAT-C monitor: the logic behind the dashboard of the Regional Analysis Team Corona Zuid-Holland-Zuid."""
