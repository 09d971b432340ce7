"""The LLM: one client for OpenAI-compatible chat-completions endpoints, its configuration and its usage ledger."""
