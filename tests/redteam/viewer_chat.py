"""Viewer chat for the chat filters: ordinary lines a busy channel sees (none may be hit with every filter on at
its default), and hostile lines that must each be hit, many of them spelled to get around a naive filter.

Each ordinary line is (text, the emotes Twitch marked in it)."""

from __future__ import annotations


def fullwidth(text: str) -> str:
    """Capital Latin letters as their fullwidth forms (U+FF21..)."""
    return ''.join(chr(0xFF21 + ord(char) - ord('A')) if 'A' <= char <= 'Z' else char for char in text)


def bold(text: str) -> str:
    """Capital Latin letters as mathematical bold capitals (U+1D400..)."""
    return ''.join(chr(0x1D400 + ord(char) - ord('A')) if 'A' <= char <= 'Z' else char for char in text)


ORDINARY: list[tuple[str, tuple[str, ...]]] = [
    ('gg', ()), ('GG WP', ()), ('lol', ()), ('LUL', ('LUL',)), ('KEKW KEKW', ('KEKW', 'KEKW')),
    ('PogChamp PogChamp PogChamp that clutch', ('PogChamp', 'PogChamp', 'PogChamp')),
    ('OMEGALUL OMEGALUL OMEGALUL OMEGALUL', ('OMEGALUL', 'OMEGALUL', 'OMEGALUL', 'OMEGALUL')),
    ('first time here, love the vibe', ()), ('what game is this?', ()), ('how long have you been streaming today?', ()),
    ('the boss has a second phase, watch out', ()), ('can you show your settings later?', ()),
    ('hi from Brazil!', ()), ('oi, tudo bem? primeira vez aqui', ()), ('que jogada linda kkkkkkk', ()),
    ('mano que clutch', ()), ('vai corinthians', ()), ('bom dia chat', ()), ('boa noite a todos', ()),
    ('that was insane!!!', ()), ('no way...', ()), ('F', ()), ('F in chat', ()), ('o7', ()), ('<3', ()),
    (':)', ()), ('xD', ()), ('^^', ()), ('hype!', ()), ('LETS GO', ()), ('GG EZ', ()),
    ('I just subbed, keep it up', ()), ('thanks for the raid!', ()), ('welcome raiders', ()),
    ('my cat is watching with me', ()), ('is the music from the OST?', ()), ('song name?', ()),
    ('you missed the chest on the left', ()), ('try the other door', ()), ('press F to pay respects', ()),
    ('the NPC in the castle sells it', ()), ('use the AK, not the M4', ()), ('NA servers are lagging today', ()),
    ('EU gang', ()), ('I am from the UK, it is 3 AM here', ()), ('USA USA', ()), ('RIP', ()),
    ('who else is watching at work', ()), ('Monday again', ()), ('this DLC is worth it?', ()),
    ('the 2.0 patch changed the skill tree', ()), ('version 1.4.2 fixed that bug', ()),
    ('my K/D is 1.5 this season', ()), ('100% agree', ()), ('50/50 chance', ()), ('10/10 stream', ()),
    ('check the wiki on fandom', ()), ('the speedrun record is 1:23:45', ()), ('12:30 here', ()),
    ('I bought it on sale for $19.99', ()), ('R$ 50 no Steam', ()), ('nice nice nice', ()),
    ('haha yes yes', ()), ('go go go', ()), ('no no no no', ()), ('wait what', ()),
    ('streamer is cracked', ()), ('chat is wild today', ()), ('mods are awesome', ()),
    ('can we get a hype train', ()), ('drop a follow chat', ()), ('how do I redeem the points?', ()),
    ('classic move', ()), ('assassin creed vibes', ()), ('the grass is green', ()), ('Scunthorpe United won', ()),
    ('I need to pass the class tomorrow', ()), ('cocktail time', ()), ('analysis paralysis', ()),
    ('shiitake mushrooms are great', ()), ('cumulative damage adds up', ()), ('hell yeah', ()),
    ('what the heck', ()), ('damn that was close', ()), ('she said the game is awesome', ()),
    ('Pokémon Scarlet or Violet?', ()), ('café com leite', ()), ('ação ou aventura?', ()),
    ('日本から見ています', ()), ('привет из России', ()), ('¡hola desde México!', ()),
    ('🔥🔥🔥', ()), ('😂😂', ()), ('GG 🎉', ()), ('❤️ from Spain', ()),
    ('@streamer you should try the bow build', ()), ('@mod_jane thanks!', ()),
    ('This is the best run I have seen in a long time, the routing through the swamp saved at least two minutes '
     'compared to the usual path', ()),
    ('Quick question: does the co-op mode share progress, or does each player keep their own save?', ()),
    ('ok', ()), ('yes', ()), ('no', ()), ('maybe', ()), ('?', ()), ('!', ()), ('...', ()),
    ('W', ()), ('L', ()), ('W stream', ()), ('huge W', ()), ('POG', ()), ('Pog', ('Pog',)),
    ('monkaS monkaS', ('monkaS', 'monkaS')), ('Kappa', ('Kappa',)), ('4Head', ('4Head',)),
    ('BibleThump BibleThump', ('BibleThump', 'BibleThump')), ('the twitch.tv page has the schedule', ()),
    ('clip it! https://clips.twitch.tv/AwkwardHelplessSalamanderSwiftRage', ()),
]

HOSTILE: list[tuple[str, str, tuple[str, ...]]] = [  # (text, the filter that must hit it, emotes)
    ('get free nitro here', 'terms', ()),
    ('get fr\u200bee n\u200bitro here', 'terms', ()),  # zero-width spaces
    ('get fr\u0435\u0435 n\u0456tro here', 'terms', ()),  # a Cyrillic e and i
    ('get f r e e n i t r o here', 'terms', ()),
    ('get fr33 n1tr0 here', 'terms', ()),
    (f'get {fullwidth("FREE NITRO")}', 'terms', ()),
    ('best bitcoinz giveaway', 'terms', ()),  # a wildcard term
    ('buy followers at cheap prices', 'terms', ()),  # a regex term
    ('you are a f4ggot', 'terms', ()),
    ('n i g g e r', 'terms', ()),
    ('visit evil-site.com now', 'links', ()),
    ('visit evil-site[.]com now', 'links', ()),
    ('visit evil-site . com now', 'links', ()),
    ('go to bit.ly/3xYz', 'links', ()),
    ('https://grabify.link/abc', 'links', ()),
    ('twitch.tv.evil.ru/login', 'links', ()),
    ('WHY IS NOBODY ANSWERING MY QUESTION', 'caps', ()),
    (fullwidth('WHY IS NOBODY ANSWERING ME'), 'caps', ()),
    (bold('WHY IS NOBODY ANSWERING'), 'caps', ()),
    ('Kappa Kappa Kappa I SAID STOP IGNORING ME', 'caps', ('Kappa', 'Kappa', 'Kappa')),
    ('$$$$ %%%% &&&& ### @@@@ !!!! ****', 'symbols', ()),
    ('░▒▓█▓▒░░▒▓█▓▒░ ░▒▓█▓▒░', 'symbols', ()),
    (' '.join(['Kappa'] * 15), 'emotes', tuple(['Kappa'] * 15)),
    ('😂' * 14, 'emotes', ()),
    ('spam spam spam spam spam', 'repetition', ()),
    ('buy buy buy buy buy now', 'repetition', ()),
    ('x' * 20 + ' ' + 'lorem ipsum dolor sit amet ' * 14, 'length', ()),
]
BLOCKED_TERMS = ('free nitro', '*coin* giveaway', r'/buy\s+(followers|viewers)/')
