"""The stream health score (0-100) of a channel, from four signals of the last hour, each scored 0..1:

- sentiment: the chat mood's average score, from -2 (0) to +2 (1);
- velocity: messages per minute in the last 10 minutes against the last hour's (a chat going quiet scores low);
- answered: the share of prompts to Byte that got a reply;
- reliability: 1 minus errors per interaction.

Weights 25/25/30/20. Bands: good from 70, watch from 40, poor below.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHTS = {'sentiment': 0.25, 'velocity': 0.25, 'answered': 0.30, 'reliability': 0.20}


@dataclass(frozen=True)
class HealthScore:
    score: int
    band: str
    components: dict[str, float]


def health_score(mood_average: float, mood_count: int, per_minute_10m: float, per_minute_60m: float,
                 triggers_60m: float, replies_60m: float, errors_60m: float, interactions_60m: float) -> HealthScore:
    components = {
        'sentiment': 0.5 if mood_count == 0 else min(1.0, max(0.0, (mood_average + 2) / 4)),
        'velocity': 0.5 if per_minute_60m <= 0 else min(1.0, per_minute_10m / per_minute_60m),
        'answered': 1.0 if triggers_60m <= 0 else min(1.0, replies_60m / triggers_60m),
        'reliability': 1.0 - min(1.0, errors_60m / max(1.0, interactions_60m)),
    }
    score = round(100 * sum(WEIGHTS[name] * value for name, value in components.items()))
    band = 'good' if score >= 70 else 'watch' if score >= 40 else 'poor'
    return HealthScore(score=score, band=band, components={name: round(value, 3) for name, value in components.items()})
