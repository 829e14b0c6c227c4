"""Aplicación WSGI para gunicorn u otro servidor: ``gunicorn 'tablero.wsgi:server'``.

La carpeta de datos sale de ``SIGUE_DATOS`` (o la carpeta de datos del usuario). Construir la
aplicación no lee datos: la versión se lee en cada petición. Al arrancar se comprimen los
archivos estáticos de la primera carga (ver :func:`tablero.estaticos.calentar`).
"""

from tablero.app import crear_app
from tablero.estaticos import calentar

app = crear_app()
server = app.server
# JavaScript y CSS comprimidos al arrancar (con ``--preload``, una vez para todos los procesos).
calentar(app)
