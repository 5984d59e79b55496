"""Region names: counties, townships and villages by name, not code, wherever a person reads them."""
