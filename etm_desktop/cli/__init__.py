"""The command line: the same services as the GUI, for batch jobs, reports and tests."""
