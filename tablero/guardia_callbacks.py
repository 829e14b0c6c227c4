"""Guardia de ``/_dash-update-component``: una petición de callback mal formada es un 400.

El navegador del tablero siempre manda un objeto JSON con una salida registrada y listas de
entradas. Una petición armada a mano (JSON que no es objeto, anidación enorme, ``NaN``, una
salida desconocida, tipos equivocados que hacen fallar al callback) recibe 400 con un
mensaje en español en lugar de un 500 con traza. Una excepción dentro de un callback queda
en la bitácora (enmascarada) para revisar si es un error del tablero.
"""

from __future__ import annotations

import json
import logging

import dash
import flask
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)
RUTA = "/_dash-update-component"


def registrar(app: dash.Dash) -> None:
    """Valida cada petición de callback y convierte sus fallas en 400."""
    servidor = app.server

    @servidor.before_request
    def _validar():
        if not flask.request.path.endswith(RUTA) or flask.request.method != "POST":
            return None
        try:
            cuerpo = json.loads(
                flask.request.get_data(cache=True, as_text=False) or b"null",
                parse_constant=_no_numero,
            )
        except RecursionError:
            return _error("la petición anida demasiados niveles")
        except (ValueError, UnicodeDecodeError):
            return _error("la petición no es un JSON válido")
        motivo = _motivo(cuerpo, app)
        return _error(motivo) if motivo else None

    @servidor.errorhandler(Exception)
    def _falla(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if flask.request.path.endswith(RUTA):
            log.warning("Callback rechazado por una excepción: %s", type(error).__name__)
            return _error("la petición no corresponde a esta vista")
        log.exception("Error no previsto en %s", flask.request.path)
        return flask.Response(
            "Error interno del tablero. Intente de nuevo más tarde.",
            status=500,
            mimetype="text/plain",
        )


def _motivo(cuerpo, app: dash.Dash) -> str | None:
    if not isinstance(cuerpo, dict):
        return "la petición debe ser un objeto JSON"
    salida = cuerpo.get("output")
    if not isinstance(salida, str) or salida not in app.callback_map:
        return "la petición pide una salida que no existe"
    for clave in ("inputs", "state"):
        valor = cuerpo.get(clave, [])
        if not isinstance(valor, list):
            return f"«{clave}» debe ser una lista"
    return None


def _no_numero(texto: str):
    raise ValueError(f"{texto} no es un número válido")


def _error(motivo: str) -> flask.Response:
    respuesta = flask.jsonify({"error": f"Petición no válida: {motivo}."})
    respuesta.status_code = 400
    return respuesta
