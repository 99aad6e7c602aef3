"""Template machinery: rename a fork, pull later template changes into it (docs/forking.md)."""
