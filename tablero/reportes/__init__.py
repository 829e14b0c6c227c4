"""Reportes ciudadanos sobre estacionamientos para personas con discapacidad.

Un ciudadano levanta un reporte (folio público), lo sigue, y la autoridad lo atiende con una
respuesta pública. El contacto del ciudadano nunca se publica: solo lo ven los funcionarios.
Almacenamiento con SQLAlchemy 2: SQLite en la carpeta de datos (WAL) o PostgreSQL con
``DATABASE_URL``; varias instancias del tablero comparten así la misma base.
"""
