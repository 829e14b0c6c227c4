"""Tablero: la aplicación Dash de Sigue el dinero Oaxaca (solo presentación).

Se construye con :func:`tablero.app.crear_app`; ``tablero.wsgi:server`` es la aplicación WSGI
para gunicorn y ``tablero`` (ver :mod:`tablero.cli`) la orden que la sirve.
"""
