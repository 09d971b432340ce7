"""Twitch: the bot account and its tokens, the id/OAuth calls, and the EventSub transport."""
