from django.dispatch import Signal

# Sent after an official is created or changed in a way that can change their scores.
# Arguments: official (the Official), years (the years affected; empty means "whatever is on record").
official_changed = Signal()
