"""The in-memory log: the newest lines at a level or above, oldest first, only what came after a count, bounded."""

import logging

from runtime.recent_log import RecentLog


def test_recent_lines_by_level_and_count() -> None:
    recent = RecentLog(capacity=5)
    logger = logging.getLogger('byte.test.recent')
    logger.setLevel(logging.DEBUG)
    logger.addHandler(recent)
    try:
        logger.debug('not kept: below INFO')
        for number in range(4):
            logger.info('line %d', number)
        logger.error('broken <b>')
        seen = recent.count
        logger.warning('later')
    finally:
        logger.removeHandler(recent)
    assert recent.count == 6
    texts = recent.lines(limit=10)
    assert len(texts) == 5 and texts[0].endswith('line 1') and texts[-1].endswith('later')  # capacity 5
    assert [text.split(': ', 1)[1] for text in recent.lines(level=logging.WARNING)] == ['broken <b>', 'later']
    assert recent.lines(after=seen) == [texts[-1]] and recent.lines(limit=2) == texts[-2:]
    assert 'ERROR byte.test.recent: broken <b>' in texts[-2]
