"""Services: the only way the UI reaches student data. Every call takes the
acting user; access rules and the audit record are enforced here."""
