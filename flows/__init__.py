"""Orchestration and I/O for qingxi: readers, writer, Prefect flow, CLI."""
