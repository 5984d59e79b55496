"""Who may call the platform: staff users, partner clients, their tokens and the login limit."""
