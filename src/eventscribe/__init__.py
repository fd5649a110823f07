"""eventscribe: news articles in, PLOVER event records out."""

__version__ = "0.1.0"
