"""score_text, rewritten for speed (one pass, each distinct token worked out once), still scores exactly as the
plain definition does: emotes case-sensitive, keywords lower case and whole words, phrases anywhere."""

import random
import re

from runtime.sentiment import CONFUSED, EMOTES, KEYWORDS, PHRASES, SAD, score_text

TOKEN = re.compile(r'\?{3,}|<3|[\w\']+', re.UNICODE)


def plain_score(text: str) -> tuple[float, bool, bool]:
    """The definition, written the slow and obvious way."""
    tokens = TOKEN.findall(text)
    score = sum(EMOTES.get('???' if token.startswith('???') else token, 0.0) for token in tokens)
    score += sum(KEYWORDS.get(token.lower(), 0.0) for token in tokens if token not in EMOTES)
    text_lower = ' '.join(text.lower().split())
    score += sum(value for phrase, value in PHRASES.items()
                 if re.search(rf'(?<!\w){re.escape(phrase)}(?!\w)', text_lower))
    normalized = {'???' if token.startswith('???') else token for token in tokens}
    is_confused = bool(normalized & CONFUSED) or any(phrase in text_lower for phrase in PHRASES)
    is_sad = bool(normalized & SAD) or bool({token.lower() for token in tokens} & {'sad', 'triste', 'rip'})
    return score, is_confused, is_sad


def test_fast_scoring_matches_the_definition_on_varied_chat() -> None:
    pick = random.Random(11)
    pieces = [*EMOTES, *KEYWORDS, *PHRASES, 'Gg', 'LOL', 'Não   ENTENDI', "DON'T get it", 'sadness', 'RIP', 'F',
              '????', '?', 'kkkkk', 'what is happening!!', 'nao entendido', 'hello', 'play', '💜', 'olá', '',
              'pogchamp', 'Sadge', 'WHAT', 'huh?', 'xhuh', 'confused.', 'triste']
    texts = [' '.join(pick.choice(pieces) for _ in range(pick.randint(0, 9))) for _ in range(3000)]
    texts += ['', '   ', 'nao entendi', 'eu nao entendi nada', 'não entendi???', "don't get it lol"]
    for text in texts:
        assert score_text(text) == plain_score(text), text
    assert score_text('PogChamp gg não entendi') == (2.0 + 1.0 - 1.0, True, False)
