"""Tests of the fork machinery: make rename and make template-update (scripts/)."""
