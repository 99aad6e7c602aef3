# The domain-swap rehearsal's kit (library/) holds another domain's app and tests: they run
# in the rehearsal's copy, where they are installed, never here.
collect_ignore = ["library"]
