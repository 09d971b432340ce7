"""The parity registry: every operational capability of Byte, with its API route(s), the dashboard control that
does the same (a NiceGUI element marker on a page) and the tests that prove both. tests/unit/test_parity.py
fails when an /api route is missing here, a registered route does not exist, a control's marker is missing from
its page, or a named test does not exist. `python -m app.capabilities > docs/parity.md` renders the matrix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capability:
    domain: str
    name: str
    routes: tuple[str, ...]  # 'METHOD /api/path', as in the OpenAPI schema
    page: str  # where the dashboard control is
    marker: str  # the control's NiceGUI marker
    tests: tuple[str, ...]  # 'file.py::test_name', under tests/


API, UI = 'integration/test_api.py', 'ui/test_dashboard.py'
CONTROL_API, BRAIN_API = 'integration/test_control_api.py', 'integration/test_brain_api.py'
SETTINGS_API, CHANNEL_UI = 'integration/test_settings_api.py', 'ui/test_channel_view.py'
DIRECTIVES_API = 'integration/test_channel_directives_api.py'
SAFETY_API, SAFETY_UI = 'integration/test_safety_api.py', 'ui/test_safety_view.py'
MEMORY_API, MEMORY_UI = 'integration/test_memory_api.py', 'ui/test_memory_view.py'
COMMANDS_API, COMMANDS_UI = 'integration/test_commands_api.py', 'ui/test_commands_view.py'

CAPABILITIES = (
    Capability('Health', 'Status of Byte and its parts', ('GET /api/health',), '/', 'status-chip',
               (f'{API}::test_health_is_open_and_reports_the_parts',)),
    Capability('Health', 'API schema (OpenAPI)', ('GET /api/openapi.json',), '/settings', 'api-schema-link',
               ('integration/test_api_fuzz.py::test_the_schema_covers_every_route_and_needs_the_token',)),
    Capability('Channel governance', 'Joined channels', ('GET /api/channels',), '/', 'join-input',
               (f'{API}::test_join_post_read_and_part', f'{UI}::test_join_focus_post_and_part')),
    Capability('Channel governance', 'Join a channel', ('POST /api/channels',), '/', 'join-button',
               (f'{API}::test_join_post_read_and_part', f'{UI}::test_join_focus_post_and_part')),
    Capability('Channel governance', 'Leave a channel', ('DELETE /api/channels/{login}',), '/', 'part-button',
               (f'{API}::test_join_post_read_and_part', f'{UI}::test_join_focus_post_and_part')),
    Capability('Channel governance', 'Channel control (earlier bot)', ('POST /api/channel-control',), '/',
               'join-button', (f'{DIRECTIVES_API}::test_channel_control_lists_joins_pauses_and_parts',)),
    Capability('Channel governance', 'Agent notes',
               ('GET /api/channels/{login}/notes', 'PUT /api/channels/{login}/notes', 'GET /api/agent-notes',
                'PUT /api/agent-notes'), '/', 'notes-save',
               (f'{BRAIN_API}::test_agent_notes_round_trip_and_bounds',
                f'{UI}::test_notes_are_saved_for_the_focused_channel')),
    Capability('Channel governance', 'Tuning and pause (channel config)',
               ('GET /api/channel-config', 'PUT /api/channel-config'), '/', 'paused',
               (f'{BRAIN_API}::test_channel_config_round_trip_and_validation',
                f'{CHANNEL_UI}::test_directives_apply_to_the_runtime_and_the_database')),
    Capability('Channel governance', 'Style and stream facts',
               ('GET /api/channel-directives', 'PUT /api/channel-directives'), '/', 'style-input',
               (f'{DIRECTIVES_API}::test_channel_directives_round_trip_and_keep_omitted_fields',
                f'{CHANNEL_UI}::test_stream_facts_reach_the_prompt_and_answers_are_listed')),
    Capability('Prompt and inference', 'Channel context', ('GET /api/channel-context',), '/', 'context-refresh',
               (f'{BRAIN_API}::test_channel_context_shows_live_and_stored_state_without_side_effects',
                f'{CHANNEL_UI}::test_prompt_preview_shows_the_notes_block')),
    Capability('Prompt and inference', 'Recent chat', ('GET /api/channels/{login}/chat',), '/', 'chat-feed',
               (f'{API}::test_join_post_read_and_part', f'{UI}::test_live_lines_appear_without_reload_and_stay_text')),
    Capability('Prompt and inference', 'Post as a viewer (simulator, pipeline)',
               ('POST /api/simulator/messages', 'POST /api/chat/send'), '/', 'send-button',
               (f'{BRAIN_API}::test_chat_send_runs_the_pipeline_and_returns_the_replies',
                f'{UI}::test_join_focus_post_and_part')),
    Capability('Prompt and inference', 'Language model settings and probe',
               ('GET /api/settings', 'PUT /api/settings/llm', 'POST /api/settings/llm/test'), '/settings',
               'llm-save', (f'{SETTINGS_API}::test_the_llm_key_is_stored_used_and_removed_but_never_shown',
                            f'{CHANNEL_UI}::test_llm_settings_save_and_test')),
    Capability('Prompt and inference', 'Chat mode', ('PUT /api/settings/chat-mode',), '/settings', 'mode-select',
               (f'{SETTINGS_API}::test_choosing_a_chat_mode_switches_the_transport_and_is_stored',
                'ui/test_settings.py::test_choosing_irc_mode_in_settings_switches_chat_live')),
    Capability('Prompt and inference', 'Twitch account', ('POST /api/twitch/connect', 'DELETE /api/twitch/account'),
               '/settings', 'twitch-account',
               (f'{SETTINGS_API}::test_connecting_twitch_with_a_code_then_disconnecting',
                'ui/test_settings.py::test_connect_a_twitch_account_from_settings')),
    Capability('Prompt and inference', 'Twitch application (client id, secret)',
               ('PUT /api/settings/twitch/app', 'DELETE /api/settings/twitch/app'), '/settings', 'client-id',
               (f'{SETTINGS_API}::test_the_twitch_application_is_entered_on_the_page_and_a_refusal_stays_with_what_'
                'to_do', 'ui/test_settings.py::test_the_twitch_application_is_entered_in_settings_and_a_refusal_'
                'stays_on_the_card')),
    Capability('Memory', 'Memory entries: list, search by meaning, add',
               ('GET /api/memory', 'POST /api/memory'), '/', 'memory-add',
               (f'{MEMORY_API}::test_memory_add_search_edit_pin_and_delete',
                f'{MEMORY_UI}::test_memory_view_adds_searches_pins_edits_and_deletes')),
    Capability('Memory', 'Edit, pin, approve or delete a memory',
               ('PATCH /api/memory/{entry_id}', 'DELETE /api/memory/{entry_id}'), '/', 'memory-search-button',
               (f'{MEMORY_API}::test_memory_add_search_edit_pin_and_delete',
                f'{MEMORY_UI}::test_memory_view_adds_searches_pins_edits_and_deletes')),
    Capability('Memory', 'Forget a viewer', ('POST /api/memory/forget-viewer',), '/', 'memory-forget-viewer',
               (f'{MEMORY_API}::test_forgetting_a_viewer_and_bad_requests',
                f'{MEMORY_UI}::test_forgetting_a_viewer_from_the_memory_view')),
    Capability('Memory', 'Learn from chat (proposals wait for review)',
               ('GET /api/memory/learning', 'PUT /api/memory/learning', 'POST /api/memory/learning/run'), '/',
               'memory-learning', (f'{MEMORY_API}::test_learning_from_chat_is_switched_per_channel',
                                   f'{MEMORY_UI}::test_learning_from_chat_is_switched_on_and_proposals_are_reviewed')),
    Capability('Memory', 'Semantic memory (earlier bot)', ('GET /api/semantic-memory', 'PUT /api/semantic-memory'),
               '/', 'memory-search', (f'{MEMORY_API}::test_the_earlier_semantic_memory_routes',)),
    Capability('Control plane', 'Autonomy settings and goals', ('GET /api/control-plane', 'PUT /api/control-plane'),
               '/control', 'control-save',
               (f'{CONTROL_API}::test_updates_are_clamped_validated_and_goals_normalised',
                'ui/test_control_page.py::test_control_page_saves_settings_ticks_and_decides')),
    Capability('Control plane', 'Run the autonomy loop now', ('POST /api/autonomy/tick',), '/control', 'tick-all',
               ('ui/test_control_page.py::test_control_page_saves_settings_ticks_and_decides',)),
    Capability('Control plane', 'Action queue and decisions',
               ('GET /api/action-queue', 'POST /api/action-queue/{item_id}/decision'), '/control', 'approve-button',
               (f'{CONTROL_API}::test_the_queue_and_decisions',
                'ui/test_control_page.py::test_control_page_saves_settings_ticks_and_decides')),
    Capability('Control plane', 'Panic (suspend and resume)', ('POST /api/agent/suspend', 'POST /api/agent/resume'),
               '/', 'panic-button', (f'{CONTROL_API}::test_suspend_and_resume',
                                     'ui/test_control_page.py::test_panic_from_the_header_stops_everything_and_resumes')),
    Capability('Control plane', 'HUD items', ('GET /api/hud/messages', 'POST /api/hud/items'), '/control', 'hud-push',
               (f'{CONTROL_API}::test_hud_messages_with_the_overlay_key_or_the_token',
                'ui/test_control_page.py::test_the_hud_preview_pushes_an_item')),
    Capability('Control plane', 'Overlay link', ('GET /api/overlay', 'POST /api/overlay-key/rotate'), '/',
               'overlay-rotate', (f'{UI}::test_an_open_overlay_goes_blank_when_its_key_is_rotated',)),
    Capability('Observability', 'Live snapshot and sentiment',
               ('GET /api/observability', 'GET /api/sentiment/scores'), '/analytics', 'analytics-channel',
               ('integration/test_observability.py::test_counters_per_channel_and_overall',
                f'{CONTROL_API}::test_sentiment_scores',
                'ui/test_analytics_pages.py::test_analytics_page_shows_kpis_and_makes_a_report')),
    Capability('Observability', 'History by range', ('GET /api/observability/history',), '/analytics',
               'analytics-range', ('integration/test_observability.py::test_history_ranges_and_comparison',)),
    Capability('Observability', 'Channel comparison', ('GET /api/observability/compare',), '/compare',
               'compare-channels', ('integration/test_observability.py::test_history_ranges_and_comparison',
                                    'ui/test_analytics_pages.py::test_compare_page_shows_both_channels')),
    Capability('Observability', 'Post-stream reports',
               ('GET /api/observability/reports', 'POST /api/observability/reports',
                'GET /api/observability/post-stream-report'), '/analytics', 'report-now',
               ('integration/test_observability.py::test_a_report_on_demand_has_kpis_and_advice',
                'integration/test_earlier_cli.py::test_report_show_and_generate',
                'ui/test_analytics_pages.py::test_analytics_page_shows_kpis_and_makes_a_report')),
    Capability('Safety', 'What the safety gate blocked, and the counts',
               ('GET /api/safety', 'GET /api/safety/events'), '/', 'safety-events',
               (f'{SAFETY_API}::test_refusals_are_recorded_listed_and_counted',
                f'{SAFETY_UI}::test_the_safety_tab_lists_what_was_blocked_live_and_counts_it',
                'integration/test_redteam.py::test_no_attack_reaches_chat')),
    Capability('Safety', 'Refusal line or silence, moderation model', ('PUT /api/safety',), '/',
               'safety-save-everywhere', (f'{SAFETY_API}::test_refusal_and_moderation_settings_round_trip',
                                          f'{SAFETY_UI}::test_channel_settings_are_saved_from_the_tab_and_the_dry_run_uses_them')),
    Capability('Safety', "A channel's words, allowed domains and remote checks",
               ('GET /api/safety/channels/{login}', 'PUT /api/safety/channels/{login}'), '/', 'safety-save',
               (f'{SAFETY_API}::test_channel_settings_apply_to_the_gate_and_the_dry_run',
                f'{SAFETY_UI}::test_channel_settings_are_saved_from_the_tab_and_the_dry_run_uses_them')),
    Capability('Safety', "The broadcaster's AutoMod authorisation",
               ('POST /api/safety/channels/{login}/automod-authorisation',
                'DELETE /api/safety/channels/{login}/automod-authorisation'), '/', 'safety-automod-authorise',
               ('integration/test_twitch_process.py::test_a_broadcaster_authorises_automod_through_the_api',
                'integration/test_safety_remote.py::test_a_broadcaster_authorises_automod_for_their_own_channel',
                f'{SAFETY_API}::test_automod_authorisation_needs_twitch')),
    Capability('Safety', 'Dry run of a text through the gate', ('POST /api/safety/check',), '/', 'safety-try',
               (f'{SAFETY_API}::test_channel_settings_apply_to_the_gate_and_the_dry_run',
                f'{SAFETY_UI}::test_channel_settings_are_saved_from_the_tab_and_the_dry_run_uses_them')),
    Capability('Clips', 'Clip jobs', ('GET /api/clip-jobs',), '/', 'clip-status-filter',
               ('integration/test_clip_api.py::test_clips_through_the_api',
                'ui/test_clips_view.py::test_clip_it_makes_a_clip_and_its_card_follows_the_job')),
    Capability('Clips', 'Make a clip', ('POST /api/clips',), '/', 'clip-it',
               ('integration/test_clip_api.py::test_clips_through_the_api',
                'ui/test_clips_view.py::test_clip_it_makes_a_clip_and_its_card_follows_the_job')),
    Capability('Bot features', 'Custom commands: list, add, change, switch off, delete',
               ('GET /api/channels/{login}/commands', 'POST /api/channels/{login}/commands',
                'PATCH /api/channels/{login}/commands/{command_id}',
                'DELETE /api/channels/{login}/commands/{command_id}'), '/', 'command-save',
               (f'{COMMANDS_API}::test_add_change_use_and_delete',
                f'{COMMANDS_UI}::test_write_preview_save_try_switch_off_and_delete')),
    Capability('Bot features', 'Preview what a command would say (nothing sent)',
               ('POST /api/channels/{login}/commands/preview',), '/', 'command-preview',
               (f'{COMMANDS_API}::test_a_preview_fills_the_variables_judges_and_sends_nothing',
                f'{COMMANDS_UI}::test_write_preview_save_try_switch_off_and_delete')),
    Capability('Bot features', 'A command drafted by the model from a sentence, previewed before it is saved',
               ('POST /api/channels/{login}/commands/draft',), '/', 'command-draft',
               (f'{COMMANDS_API}::test_a_command_drafted_from_a_sentence_is_previewed_not_saved',
                f'{COMMANDS_UI}::test_a_sentence_becomes_a_drafted_command_with_its_preview')),
    Capability('Bot features', 'Import a Nightbot or StreamElements commands export; copy to another channel',
               ('POST /api/channels/{login}/commands/import', 'POST /api/channels/{login}/commands/copy'), '/',
               'command-import', (f'{COMMANDS_API}::test_imports_report_what_they_took_and_skipped',
                                  f'{COMMANDS_API}::test_copy_into_another_channel',
                                  f'{COMMANDS_UI}::test_import_a_file_and_copy_to_another_channel')),
    Capability('Bot features', 'Timers: list (with what each waits for), add, change, send now, delete',
               ('GET /api/channels/{login}/timers', 'POST /api/channels/{login}/timers',
                'PATCH /api/channels/{login}/timers/{timer_id}', 'DELETE /api/channels/{login}/timers/{timer_id}',
                'POST /api/channels/{login}/timers/{timer_id}/send'), '/', 'timer-save',
               ('integration/test_timers_api.py::test_add_list_change_send_and_delete',
                'ui/test_timers_view.py::test_write_see_the_wait_send_now_switch_off_and_delete')),
    Capability('Bot features', 'Chat filters: settings, try a line, what they did',
               ('GET /api/channels/{login}/filters', 'PUT /api/channels/{login}/filters',
                'POST /api/channels/{login}/filters/try', 'GET /api/channels/{login}/filter-actions'), '/',
               'filter-save', ('integration/test_filters_api.py::test_settings_try_and_actions',
                               'ui/test_filters_view.py::test_switch_on_try_save_and_see_what_was_done')),
    Capability('Bot features', 'Chat filters tried on the stored chat of the last days',
               ('POST /api/channels/{login}/filters/try-history',), '/', 'filter-try-history',
               ('integration/test_filters_api.py::test_filters_tried_on_the_stored_chat',
                'ui/test_filters_view.py::test_try_the_form_on_the_stored_chat')),
    Capability('Bot features', 'Event reactions: settings, a previewed line, an event in the simulator, what happened',
               ('GET /api/channels/{login}/reactions', 'PUT /api/channels/{login}/reactions',
                'POST /api/channels/{login}/reactions/preview', 'POST /api/channels/{login}/events/simulate',
                'GET /api/channels/{login}/events'), '/', 'reactions-save',
               ('integration/test_events_api.py::test_settings_preview_simulate_and_list',
                'integration/test_event_reactions_twitch.py::test_each_event_is_thanked_once_and_a_raid_gets_a_shoutout',
                'ui/test_events_view.py::test_preview_save_post_and_see_what_happened')),
    Capability('Data', 'Database backups (SQLite): list, make one, restore', ('GET /api/backups', 'POST /api/backups',
               'POST /api/backups/restore'), '/settings', 'back-up-now',
               ('integration/test_backups.py::test_a_restore_restarts_byte_onto_the_copy_and_can_be_undone',
                'integration/test_backups.py::test_on_postgresql_backups_point_to_the_server',
                'ui/test_backups_card.py::test_back_up_now_and_restore_after_a_question')),
    Capability('Data', 'Settings as one file: export, read in', ('GET /api/settings/export',
               'POST /api/settings/import'), '/settings', 'settings-export',
               ('integration/test_backups.py::test_settings_move_to_another_install_through_the_api',
                'integration/test_settings_document.py::test_an_export_read_into_a_new_install_exports_the_same',
                'ui/test_backups_card.py::test_export_the_settings_and_read_a_file_in')),
    Capability('Data', 'Move to a PostgreSQL/Supabase server (everything copied and counted), and back',
               ('GET /api/database', 'POST /api/database/check', 'POST /api/database/move',
                'POST /api/database/builtin'), '/settings', 'database-test',
               ('integration/test_database_move.py::test_the_dashboards_move_restarts_byte_onto_the_server_and_back',
                'integration/test_database_move.py::test_every_table_arrives_counted_and_new_ids_go_on_after_the_'
                'copied_ones',
                'ui/test_database_card.py::test_a_tested_url_is_offered_the_move_and_the_move_restarts')),
    Capability('Data', "Bring an earlier Byte Bot's data from Supabase: check, dry run, import (once)",
               ('GET /api/import/earlier', 'POST /api/import/earlier/check', 'POST /api/import/earlier'),
               '/settings', 'earlier-check',
               ('integration/test_earlier_import.py::test_the_import_through_the_api_restarts_byte_and_a_second_'
                'brings_nothing_new',
                'integration/test_earlier_import.py::test_rows_are_read_in_pages_past_the_silent_cap_and_imported_once',
                'ui/test_earlier_import_card.py::test_check_preview_and_import')),
    Capability('Health', 'Recent log and problem report (no secret in either)', ('GET /api/logs',
               'POST /api/problem-report'), '/settings', 'problem-report',
               ('integration/test_support_api.py::test_the_log_and_the_report_through_the_api',
                'ui/test_problem_report.py::test_the_report_has_the_facts_and_no_secret',
                'ui/test_problem_report.py::test_the_settings_page_shows_the_log_and_downloads_a_report')),
)


def parity_table() -> str:
    lines = ['# Parity matrix', '',
             'Generated from `app/capabilities.py` (`python -m app.capabilities > docs/parity.md`); '
             '`tests/unit/test_parity.py` keeps it true.', '',
             '| Domain | Capability | API | Dashboard (page · marker) | Tests |', '|---|---|---|---|---|']
    for item in CAPABILITIES:
        routes = '<br>'.join(f'`{route}`' for route in item.routes)
        tests = '<br>'.join(f'`{test.split("::")[1]}`' for test in item.tests)
        lines.append(f'| {item.domain} | {item.name} | {routes} | `{item.page}` · `{item.marker}` | {tests} |')
    return '\n'.join(lines) + '\n'


if __name__ == '__main__':
    print(parity_table(), end='')
