"""Importing officials from CSV or Popolo JSON: every row is checked, every bad or duplicate row reported,
then all or nothing. Re-importing updates positions in place and closes terms that ended.

`rows` holds the columns and the checks of each row, `popolo` reads Popolo files as such rows (`seats` hands
out EveryPolitician's seats), and `writing` applies the checked rows.
"""
