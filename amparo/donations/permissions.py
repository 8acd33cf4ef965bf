"""Who may see gifts."""
