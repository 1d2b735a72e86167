"""diligence: export-control and human-rights due diligence, taught through the Pegasus case."""

__version__ = "0.1.0"
