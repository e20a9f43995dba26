"""Survey files to the one canonical frame: platform readers (``readers/``), cleaning and its
exclusions, mass-exclusion advice, ``wave-init``'s proposals, platform exports and simulated
waves.

May import the top level and ``workflow``."""
