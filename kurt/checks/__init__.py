"""Draft checks: each family of checks reports ``Finding`` objects (kurt.checks.finding)."""
