"""Lo que cuesta la primera visita con una versión, hecho antes de que llegue la visita.

Con una versión nueva, la primera carga de ``/obras`` con 300k reportes tarda ~1.5 s de CPU
(leer las capas, el estado de cada obra, las opciones de los filtros, el mapa) y la de
``/escuelas`` con 50k escuelas ~0.9 s; las siguientes, ~60 ms, porque todo eso queda en las
cachés por versión (:meth:`capas.DatosVersion.memo` y las de ``capas``). Aquí se arman los
``layout`` de las páginas principales sin petición HTTP (no pasan por
:mod:`tablero.respuestas` ni leen reportes):

- al arrancar gunicorn, en el proceso principal (``preload_app``): los trabajadores heredan
  las cachés llenas;
- en cada proceso, en un hilo aparte, la primera vez que ve una versión nueva (la publica una
  carga mientras el tablero corre).

Un fallo aquí solo se anota en la bitácora: la visita arma lo que falte, como siempre.
"""

from __future__ import annotations

import logging
import threading

import dash

from tablero.paginas import modulo_de

#: Páginas cuyo primer ``layout`` con una versión es caro.
RUTAS = ("/", "/obras", "/escuelas")

_bitacora = logging.getLogger(__name__)


def preparar(app: dash.Dash) -> list[str]:
    """Arma los ``layout`` de :data:`RUTAS` con la versión servida; devuelve las que armó."""
    armadas = []
    for ruta in RUTAS:
        modulo = modulo_de(ruta)
        if modulo is None:
            continue
        try:
            with app.server.test_request_context(ruta):
                modulo.layout()
        except Exception:  # noqa: BLE001 - preparar nunca tumba el servidor
            _bitacora.exception("No se pudo preparar %s con la versión nueva", ruta)
            continue
        armadas.append(ruta)
    return armadas


class Preparador:
    """Lanza :func:`preparar` en un hilo la primera vez que este proceso ve cada versión."""

    def __init__(self, app: dash.Dash):
        self.app = app
        self.vista: str | None = None
        self.candado = threading.Lock()

    def ver(self, version: str | None) -> threading.Thread | None:
        """Anota ``version``; si es nueva para este proceso, la prepara en otro hilo."""
        if version is None or version == self.vista:
            return None
        with self.candado:
            if version == self.vista:
                return None
            primera = self.vista is None
            self.vista = version
        if primera:
            return None  # la del arranque: ya la preparó el proceso principal (o la visita)
        hilo = threading.Thread(
            target=preparar, args=(self.app,), name=f"preparar-{version}", daemon=True
        )
        hilo.start()
        return hilo
