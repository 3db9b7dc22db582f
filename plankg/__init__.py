"""plankg: Vietnamese plan documents -> a knowledge graph of directives and tasks.

The library API mirrors the command line::

    from plankg.loaders import load_file
    record = load_file("2233.txt")
"""

from plankg.errors import PlankgError

__version__ = "0.1.0"

__all__ = ["PlankgError", "__version__"]
