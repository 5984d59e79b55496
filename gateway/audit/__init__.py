"""What the gateway records of every request (access) and of every administrative act (actions), and how both are
read back."""
