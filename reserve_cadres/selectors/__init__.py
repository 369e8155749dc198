"""Reads of the reserve-cadre pool (``reserves``): scoped querysets, the published list, a reserve's file, flags and
due items."""
