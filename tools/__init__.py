"""Dev tooling: benchmarks and evaluation against ../shared/corpus-dev (not part of the installed package)."""
