"""Pure text transforms for qingxi: no file I/O, no Prefect."""
