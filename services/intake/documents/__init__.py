"""Intake's printed notices (issue 22): 受理通知书 on acceptance, 一次性告知书 on return, kept with the application."""
