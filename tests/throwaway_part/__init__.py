"""A throw-away part for tests/workers/test_throwaway_part.py: its own folder, and one line in a parts list.

Its pieces sit where a real part's would (services/<part>/, its web page, workers/actors/<part>.py),
gathered in one package so that the test changes no product file.
"""
