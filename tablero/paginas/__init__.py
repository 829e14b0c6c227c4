"""Páginas del tablero: un módulo por página con ``dash.register_page`` y ``layout``.

Dash las importa al construir la aplicación (:func:`tablero.app.crear_app`); no se importan a
mano. Usan ``dash.callback``, nunca la aplicación.
"""
