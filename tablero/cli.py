"""Orden ``tablero``: sirve el tablero; si el almacén está vacío, antes carga el ejemplo.

Uso::

    tablero [--datos DIR] [--puerto N] [--anfitrion HOST] [--trabajadores N] [--desarrollo]
    tablero usuario crear|contrasena|desactivar NOMBRE [--datos DIR]
    tablero avisos [--datos DIR] [--todos]

Por omisión sirve en producción con gunicorn (varios procesos). ``--desarrollo`` usa el
servidor de desarrollo de Dash (recarga al cambiar el código, herramientas de depuración).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from gunicorn.app.base import BaseApplication

from almacen.config import ESTADO_POR_OMISION, clave_estado, directorio_datos
from almacen.entidades import nombre_entidad
from almacen.errores import ErrorDatos
from almacen.versiones import Almacen

ANFITRION = "127.0.0.1"
PUERTO = 8050
TRABAJADORES = 2
#: Hilos por proceso de gunicorn (trabajador ``gthread``): un cliente lento en el teléfono
#: no bloquea el proceso entero.
HILOS = 4


def main(argv: Sequence[str] | None = None) -> int:
    """Punto de entrada de la orden ``tablero``; devuelve el código de salida.

    Un error no previsto sale como una línea en español y código 1, nunca como una traza
    (con ``SIGUE_DEPURAR=1`` se ve la traza).
    """
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 0
    except Exception as error:
        if os.environ.get("SIGUE_DEPURAR"):
            raise
        detalle = getattr(error, "strerror", None) or type(error).__name__
        print(f"Error inesperado ({detalle}); el tablero no arrancó.", file=sys.stderr)
        return 1


def _main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["usuario"]:
        return usuarios(argv[1:])
    if argv[:1] == ["avisos"]:
        return avisos(argv[1:])
    argumentos = _analizador().parse_args(argv)
    try:
        raiz = directorio_datos(argumentos.datos)
        asegurar_datos(raiz)
    except ErrorDatos as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    # Los procesos de gunicorn (y el recargador de Dash) leen la carpeta de aquí.
    os.environ["SIGUE_DATOS"] = str(raiz)
    url = f"http://{_anfitrion_url(argumentos.anfitrion)}:{argumentos.puerto}/"
    modo = "desarrollo" if argumentos.desarrollo else f"{argumentos.trabajadores} procesos"
    try:
        lugar = nombre_entidad(clave_estado())
    except ValueError:  # SIGUE_ESTADO mal escrito: lo dice la ingesta; aquí, el de siempre
        lugar = nombre_entidad(ESTADO_POR_OMISION)
    print(f"Sigue el dinero {lugar} en {url} ({modo}; datos en {raiz}). Ctrl+C para detener.")
    sys.stdout.flush()
    if argumentos.desarrollo:
        from tablero.app import crear_app

        crear_app(raiz).run(host=argumentos.anfitrion, port=argumentos.puerto, debug=True)
    else:
        servir_produccion(raiz, argumentos.anfitrion, argumentos.puerto, argumentos.trabajadores)
    return 0


def usuarios(argv: Sequence[str]) -> int:
    """``tablero usuario crear|contrasena|desactivar NOMBRE [--datos DIR]``: funcionarios.

    ``crear`` da de alta a un funcionario que atiende reportes; ``contrasena`` le pone una
    contraseña nueva y ``desactivar`` le quita el acceso; las dos cierran al instante todas
    sus sesiones abiertas. La contraseña se pide dos veces en la terminal; sin terminal se
    lee de la primera línea de la entrada estándar (para automatizar). Se guarda solo su hash.
    """
    analizador = argparse.ArgumentParser(
        prog="tablero usuario", description=usuarios.__doc__.splitlines()[0]
    )
    analizador.add_argument(
        "accion",
        choices=["crear", "contrasena", "desactivar"],
        help="crear: da de alta un usuario; contrasena: le cambia la contraseña; "
        "desactivar: le quita el acceso (contrasena y desactivar cierran sus sesiones)",
    )
    analizador.add_argument("nombre", help="nombre de usuario (3 a 80 letras, números, . _ -)")
    analizador.add_argument(
        "--datos", metavar="DIR", help="carpeta del almacén y de la base de reportes"
    )
    argumentos = analizador.parse_args(argv)
    from tablero.reportes import bd, servicio

    contrasena = None
    if argumentos.accion in ("crear", "contrasena"):
        contrasena = _leer_contrasena()
        if contrasena is None:
            return 1
    url = bd.url_base(directorio_datos(argumentos.datos))
    acciones = {
        "crear": (servicio.crear_usuario, "Usuario {} creado. Entra en /atencion/entrar."),
        "contrasena": (
            servicio.cambiar_contrasena,
            "Contraseña de {} cambiada; sus sesiones abiertas se cerraron.",
        ),
        "desactivar": (
            servicio.desactivar_usuario,
            "Usuario {} desactivado; sus sesiones abiertas se cerraron.",
        ),
    }
    funcion, aviso = acciones[argumentos.accion]
    with bd.sesiones(url)() as sesion:
        try:
            if contrasena is None:
                funcion(sesion, argumentos.nombre)
            else:
                funcion(sesion, argumentos.nombre, contrasena)
        except servicio.ErrorReporte as error:
            print(f"Error: {error.mensaje}.", file=sys.stderr)
            return 1
    print(aviso.format(argumentos.nombre.strip()))
    return 0


def avisos(argv: Sequence[str]) -> int:
    """``tablero avisos [--datos DIR] [--todos]``: envía los avisos por correo pendientes.

    Los cambios de estado ya intentan enviar sus avisos al momento; esta orden reintenta los
    que fallaron (p. ej. desde cron cada 5 minutos). Sin ``SIGUE_SMTP_HOST`` no hace nada.
    """
    analizador = argparse.ArgumentParser(
        prog="tablero avisos", description=avisos.__doc__.splitlines()[0]
    )
    analizador.add_argument(
        "--datos", metavar="DIR", help="carpeta del almacén y de la base de reportes"
    )
    analizador.add_argument(
        "--todos",
        action="store_true",
        help="también los que esperan su siguiente intento y los que ya fallaron",
    )
    argumentos = analizador.parse_args(argv)
    from tablero.reportes import bd, correo
    from tablero.reportes.web import secreto_de

    try:
        ajustes = correo.ajustes_del_entorno()
    except correo.ErrorAjustes as error:
        print(f"Error: {error}.", file=sys.stderr)
        return 1
    if ajustes is None:
        print("SIGUE_SMTP_HOST no está definido: no se envía ningún aviso.")
        return 0
    if not ajustes.url_publica:
        print(
            "Error: defina SIGUE_URL_BASE (p. ej. https://datos.oaxaca.gob.mx): los avisos "
            "llevan enlaces completos.",
            file=sys.stderr,
        )
        return 1
    raiz = directorio_datos(argumentos.datos)
    resultado = correo.enviar_pendientes(
        bd.sesiones(bd.url_base(raiz)), ajustes, secreto_de(raiz), todos=argumentos.todos
    )
    print(
        f"Avisos por correo: {resultado.enviados} enviados, {resultado.pendientes} pendientes "
        f"(se reintentarán), {resultado.fallidos} fallidos, {resultado.cancelados} cancelados."
    )
    return 0


def _leer_contrasena() -> str | None:
    """La contraseña: dos veces en la terminal, o la primera línea de la entrada estándar."""
    if sys.stdin.isatty():
        import getpass

        contrasena = getpass.getpass("Contraseña (12 caracteres o más): ")
        if getpass.getpass("Repita la contraseña: ") != contrasena:
            print("Error: las contraseñas no coinciden.", file=sys.stderr)
            return None
        return contrasena
    return sys.stdin.readline().rstrip("\n")


def asegurar_datos(raiz: Path) -> bool:
    """Carga los datos de ejemplo si el almacén en ``raiz`` no tiene versión; ``True`` si cargó."""
    # Solo un almacén nuevo (sin carpeta de versiones) recibe los datos de ejemplo: un
    # puntero ACTUAL dañado no debe publicar datos sintéticos sobre datos reales.
    if Almacen(raiz).id_actual() is not None or (Path(raiz) / "versiones").exists():
        return False
    print(f"El almacén {raiz} no tiene datos todavía: cargando los datos de ejemplo…")
    sys.stdout.flush()
    # La ingesta es otro programa: el tablero solo lee el almacén.
    orden = [sys.executable, "-m", "ingesta", "ejemplo", "--datos", str(raiz)]
    if subprocess.run(orden, check=False).returncode != 0:
        raise ErrorDatos(f"No se pudieron cargar los datos de ejemplo en {raiz}")
    return True


def servir_produccion(raiz: Path, anfitrion: str, puerto: int, trabajadores: int) -> None:
    """Sirve con gunicorn (``trabajadores`` procesos ``gthread``) hasta que se detenga."""
    _AplicacionGunicorn(
        raiz,
        {
            "bind": f"{anfitrion}:{puerto}",
            "workers": trabajadores,
            "worker_class": "gthread",
            "threads": HILOS,
            # La aplicación se construye una vez y los procesos la heredan: menos memoria y
            # arranque más rápido. No guarda estado de usuarios ni lee datos al construirse.
            "preload_app": True,
            "accesslog": "-",
        },
    ).run()


def _analizador() -> argparse.ArgumentParser:
    analizador = argparse.ArgumentParser(
        prog="tablero",
        description="Sirve el tablero Sigue el dinero Oaxaca. Si el almacén no tiene datos, "
        "primero carga los datos de ejemplo.",
    )
    analizador.add_argument(
        "--datos",
        metavar="DIR",
        help="carpeta del almacén (por omisión: SIGUE_DATOS o la carpeta de datos del usuario)",
    )
    analizador.add_argument(
        "--puerto",
        type=_entero_en(1, 65535, "--puerto"),
        default=PUERTO,
        help=f"puerto (por omisión {PUERTO})",
    )
    analizador.add_argument(
        "--anfitrion",
        default=ANFITRION,
        metavar="HOST",
        help=f"dirección donde escuchar (por omisión {ANFITRION}; 0.0.0.0 para toda la red)",
    )
    analizador.add_argument(
        "--trabajadores",
        type=_entero_en(1, 64, "--trabajadores"),
        default=TRABAJADORES,
        metavar="N",
        help=f"procesos de gunicorn (por omisión {TRABAJADORES})",
    )
    analizador.add_argument(
        "--desarrollo",
        action="store_true",
        help="usa el servidor de desarrollo de Dash (recarga y depuración), no gunicorn",
    )
    return analizador


def _entero_en(minimo: int, maximo: int, nombre: str):
    def convertir(texto: str) -> int:
        try:
            valor = int(texto)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{nombre} debe ser un número entero; se recibió {texto!r}"
            ) from None
        if not minimo <= valor <= maximo:
            raise argparse.ArgumentTypeError(
                f"{nombre} debe estar entre {minimo} y {maximo}; se recibió {valor}"
            )
        return valor

    return convertir


def _anfitrion_url(anfitrion: str) -> str:
    if anfitrion in ("0.0.0.0", ""):
        return "127.0.0.1"
    if ":" in anfitrion and not anfitrion.startswith("["):
        return f"[{anfitrion}]"
    return anfitrion


class _AplicacionGunicorn(BaseApplication):
    """gunicorn arrancado desde Python, sin leer ``sys.argv``."""

    def __init__(self, raiz: Path, opciones: dict):
        self.raiz = raiz
        self.opciones = opciones
        super().__init__()

    def load_config(self) -> None:
        for clave, valor in self.opciones.items():
            self.cfg.set(clave, valor)
        if "control_socket_disable" in self.cfg.settings:
            # gunicorn >= 25.1 abre un socket de control en ~/.gunicorn: dos tableros en la
            # misma máquina chocarían; no se usa.
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from tablero.app import crear_app
        from tablero.estaticos import calentar
        from tablero.preparar import preparar
        from tablero.reportes import bd

        app = crear_app(self.raiz)
        calentar(app)  # estáticos comprimidos una vez, antes de crear los procesos
        preparar(app)  # y las cachés de la versión servida: los procesos las heredan llenas
        servidor = app.server
        # Esquema de la base de reportes creado o migrado al arrancar, sin dejar conexiones
        # abiertas en el proceso principal (los hijos abren las suyas).
        bd.crear_esquema(bd.url_base(self.raiz))
        bd.soltar_motores()  # nada de lo que abrió ``calentar`` pasa a los procesos hijos
        return servidor


if __name__ == "__main__":
    sys.exit(main())
