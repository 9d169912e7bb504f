"""The quality audit: one module per family of rules, each rule a small function.

``toolkit.quality.finding`` holds the value every rule returns; the rules and ``audit()`` live
in the other modules of this package.
"""
