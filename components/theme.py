"""The dashboard's look: one accent colour, status colours that mean the same on every page, and a dark theme by
default with a light one a click away (remembered per browser)."""

from __future__ import annotations

from nicegui import app, ui

THEME_KEY = 'dark_theme'
ACCENT = '#8b5cf6'  # violet: buttons, links, Byte's own chat lines, the overlay's edge
COLORS = {'primary': ACCENT, 'secondary': '#64748b', 'accent': ACCENT, 'positive': '#16a34a',
          'negative': '#dc2626', 'warning': '#d97706', 'info': '#0284c7'}


def apply_theme() -> ui.dark_mode:
    ui.colors(**COLORS)
    ui.add_css(f'''
        a.nicegui-link {{ color: {ACCENT}; }}
        .q-card {{ border-radius: 10px; }}
        .wraps {{ overflow-wrap: anywhere; }}  /* long words (a hostile name) break, sentences break between words */
    ''')
    return ui.dark_mode(bool(app.storage.user.get(THEME_KEY, True)))


def theme_toggle(dark: ui.dark_mode) -> None:
    def flip() -> None:
        dark.value = not dark.value
        app.storage.user[THEME_KEY] = dark.value
        button.props(f'icon={icon()}')

    def icon() -> str:
        return 'light_mode' if dark.value else 'dark_mode'

    button = ui.button(icon=icon(), on_click=flip).props('flat round color=white').mark('theme-toggle') \
        .tooltip('light or dark theme')
