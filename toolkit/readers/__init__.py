"""Readers: one per file format, each turning a file into the same neutral blocks."""
