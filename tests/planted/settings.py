"""The planted app's own settings, merged into the project's."""

PARCEL_HOLD_SECONDS = 90
