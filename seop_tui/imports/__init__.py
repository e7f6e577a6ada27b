"""Reading files a district sends (rosters, assessment results) into checked records.

Pure: these modules parse and validate text and say exactly what is wrong with
which line; the database work is in seop_tui/services/imports.py.
"""
