"""Autonomy: the goal schedule, budgets, the action queue, and the runner that carries goals out."""
