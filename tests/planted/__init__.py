"""A planted app for tests/unit/test_seam.py: a new app with its own error, metric, setting,
router and migration, added to the project only through PROJECT_APPS and API_ROUTERS
(tests/settings_planted.py), as a fork adds one. Its modules are no test modules: they run in
a process of their own (tests/planted/observe.py), where it is installed."""
