"""Version of the Orchest.Functions Python step SDK (package ``orchest``)."""

__version__ = "0.4.0"
