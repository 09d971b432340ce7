"""The control plane: the streamer's switches and settings for autonomy, the goals, and the panic switch."""
