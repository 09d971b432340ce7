"""Over-blocking: 200+ ordinary answers (code names, versions, games with dots, English and Portuguese, emotes,
links the channel allows) through the same gate, in a channel with private notes. Prints the rate; fails above
2 %. Every tenth answer also goes the whole way, from the model to chat."""

from pathlib import Path

from runtime.brain.replies import contract_text
from tests.fakes.llm import Scripted
from tests.integration.brain_setup import ask, brain_system
from tests.redteam.benign import ALLOWED_DOMAINS, all_answers
from tests.redteam.cases import NOTES

MAX_OVER_BLOCKING = 0.02


async def test_ordinary_answers_go_out(tmp_path: Path) -> None:
    async with brain_system(tmp_path, viewer_cooldown_seconds=0) as byte:
        await byte.channels.set_notes('alpha', NOTES, reason='test')
        await byte.gate.set_channel_settings('alpha', allowed_domains=list(ALLOWED_DOMAINS), reason='test')
        answers = all_answers()
        verdicts = [byte.gate.check('alpha', contract_text(answer), origin='benign corpus') for answer in answers]
        refused = [(answer, verdict.reasons) for answer, verdict in zip(answers, verdicts, strict=True)
                   if verdict.is_refused]
        rate = len(refused) / len(answers)
        print(f'\n[benign] over-blocked: {len(refused)} of {len(answers)} ({rate:.1%})')
        for answer, reasons in refused:
            print(f'[benign]   refused ({", ".join(reasons)}): {answer}')
        assert len(answers) >= 200
        assert rate <= MAX_OVER_BLOCKING
        assert all(verdict.text == contract_text(answer) for answer, verdict in zip(answers, verdicts, strict=True)
                   if verdict.outcome == 'sent')  # passed means unchanged, never trimmed
        for index, answer in enumerate(answers[::10]):
            byte.fake_llm.then(Scripted(text=answer))
            interaction = await ask(byte, 'alpha', f'byte question {index}')
            expected = byte.gate.refusal_line if byte.gate.judge('alpha', answer).is_refused else contract_text(answer)
            assert interaction.replies == [expected], answer
