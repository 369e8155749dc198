"""Portal forms, one module per area (official, unit, staff)."""
