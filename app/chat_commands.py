"""The chat commands Byte answers: its own (help, status, the owner's, clip requests, memory, `!cmd`), and the
streamer's custom commands, which may not take the names of Byte's; and `!permit` of the chat filters' owner (which
also hears the messages Twitch's AutoMod holds)."""

from __future__ import annotations

from persistence.repositories import Repositories
from runtime.autonomy.queue import ActionQueue
from runtime.brain.brain import ChatBrain
from runtime.brain.builtins import builtin_commands
from runtime.channels import Channels
from runtime.chat_filters.moderator import ChatModerator
from runtime.clips.chat_command import ClipCommand
from runtime.clips.jobs import ClipJobs
from runtime.clock import Clock
from runtime.commands import CommandRegistry, bang_names
from runtime.connection import ChatConnection
from runtime.custom_commands.chat_admin import CommandAdmin
from runtime.custom_commands.facts import CommandFacts
from runtime.custom_commands.service import CustomCommands
from runtime.memory.chat_commands import MemoryCommands
from runtime.memory.store import Memory
from runtime.outbound import Outbound
from runtime.owner_commands import OwnerCommands
from runtime.safety.gate import SafetyGate


def chat_commands(*, brain: ChatBrain, channels: Channels, outbound: Outbound, actions: ActionQueue, clips: ClipJobs,
                  memory: Memory, clock: Clock, trigger_word: str, repositories: Repositories, gate: SafetyGate,
                  transport: ChatConnection) -> tuple[CommandRegistry, CustomCommands, ChatModerator]:
    moderator = ChatModerator(repositories.filters, repositories.history, channels, transport, outbound, actions,
                              clock)
    transport.noticed.subscribe(moderator.hear)  # AutoMod's held messages
    builtins = [*builtin_commands(brain.respond), *OwnerCommands(channels, outbound, actions).commands(),
                ClipCommand(clips, outbound).command(),
                *MemoryCommands(memory, outbound, clock, trigger_word).commands(), moderator.command()]
    custom = CustomCommands(repositories.commands, channels, outbound, gate, CommandFacts(clock, transport), clock,
                            bang_names(builtins) | CommandAdmin.NAMES)
    return CommandRegistry([*builtins, CommandAdmin(custom, outbound).command()]), custom, moderator
