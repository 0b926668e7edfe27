"""Kurt: write technical and B2B marketing content grounded in real sources."""

__version__ = "0.1.0"
