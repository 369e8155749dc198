from django.dispatch import Signal

# Sent after an official is created or changed in a way that can change their scores.
# Arguments: official (the Official), years (the years affected; empty means "whatever is on record").
official_changed = Signal()

# The demo city (manage.py load_demo_city): other apps add their part once the city, its records and the demo
# sign-ins exist (``demo_city_loaded``, arguments: year, progress), and clear it before a --reset deletes the
# officials (``demo_city_resetting``), so the command names no app but organisation and credits.
demo_city_loaded = Signal()
demo_city_resetting = Signal()
