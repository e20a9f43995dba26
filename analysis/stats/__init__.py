"""The statistics of a cleaned wave and across waves: the ranking (Table 1), multiple response,
inference (intervals, omnibus and post-hoc tests, Plackett-Luce), rank-ordered logits,
countermeasure priorities, breakdowns and group tests, changes between waves and trends.

May import the top level, ``workflow`` and ``survey``."""
