"""Aplicación WSGI para gunicorn u otro servidor: ``gunicorn 'tablero.wsgi:server'``.

La carpeta de datos sale de ``SIGUE_DATOS`` (o la carpeta de datos del usuario). Construir la
aplicación no lee datos: la versión se lee en cada petición.
"""

from tablero.app import crear_app

app = crear_app()
server = app.server
