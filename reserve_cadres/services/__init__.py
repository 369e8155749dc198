"""Writes to the reserve-cadre pool (``reserves``): each checks who may act, audits the change and raises
ValidationError in plain words for bad input (PermissionDenied for a role that may not act)."""
