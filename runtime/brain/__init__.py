"""The chat brain: what Byte answers, how the answer is shaped, and what it must never say."""
