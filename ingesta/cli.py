"""CLI ``ingesta``: ``cargar``, ``versiones``, ``ejemplo`` y ``actualizar``.

Los nombres y opciones son un contrato: otras herramientas los llaman. Un error de
entrada termina con un mensaje en español y código de salida 1, nunca con una traza.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

from almacen.config import clave_estado, directorio_datos
from almacen.versiones import Almacen
from ingesta.carga import cargar, cargar_ejemplo
from ingesta.errores import ErrorDatos, ErrorIngesta
from ingesta.fuentes import FUENTES
from ingesta.privacidad import proteger_bitacoras


def main(argv: list[str] | None = None) -> int:
    """Punto de entrada de la consola."""
    proteger_bitacoras()
    try:
        args = _analizador().parse_args(argv)
    except _ErrorDeUso as error:
        print(f"Error: {error}", file=sys.stderr)
        if "--json" in (sys.argv[1:] if argv is None else argv):
            print(json.dumps({"error": str(error), "archivo": None, "columna": None}))
        return 1
    try:
        try:
            clave_estado()
        except ValueError as error:
            raise ErrorIngesta(str(error)) from None
        return args.funcion(args)
    except BrokenPipeError:
        # Quien leía la salida la cerró (``| head``): lo hecho, hecho está.
        sys.stderr.write("Aviso: la salida se cerró antes de terminar; vea «ingesta versiones».\n")
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - evita otro error al salir
        except OSError:
            pass
        return 1
    except ErrorDatos as error:
        print(f"Error: {error}", file=sys.stderr)
        if getattr(args, "json", False):
            archivo = error.archivo or (Path(args.archivo).name if "archivo" in args else None)
            print(
                json.dumps(
                    {"error": str(error), "archivo": archivo, "columna": error.columna},
                    ensure_ascii=False,
                )
            )
        return 1
    except KeyboardInterrupt:
        print("Carga interrumpida: la versión servida no cambió.", file=sys.stderr)
        return 1
    except Exception as error:
        # Último recurso: una línea en español y salida 1, nunca una traza (con
        # SIGUE_DEPURAR=1 se ve la traza). La versión servida no cambia: el almacén publica
        # solo versiones completas.
        if os.environ.get("SIGUE_DEPURAR"):
            raise
        detalle = getattr(error, "strerror", None) or type(error).__name__
        mensaje = (
            f"Error inesperado ({detalle}): la carga no se completó y la versión servida no cambió"
        )
        print(f"Error: {mensaje}", file=sys.stderr)
        if getattr(args, "json", False):
            print(
                json.dumps({"error": mensaje, "archivo": None, "columna": None}, ensure_ascii=False)
            )
        return 1


def _cargar(args: argparse.Namespace) -> int:
    if args.fecha_corte:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.fecha_corte):
                raise ValueError
            date.fromisoformat(args.fecha_corte)
        except ValueError:
            raise ErrorIngesta(
                f"--fecha-corte debe ser una fecha AAAA-MM-DD; se recibió {args.fecha_corte!r}"
            ) from None
    if args.anio is not None and not 1990 <= args.anio <= 2100:
        raise ErrorIngesta(f"--anio debe estar entre 1990 y 2100; se recibió {args.anio}")
    opciones = {"anio": args.anio, "programa": args.programa}
    resultado = cargar(
        args.tipo,
        args.archivo,
        directorio_datos(args.datos),
        fecha_corte=args.fecha_corte,
        opciones={k: v for k, v in opciones.items() if v is not None},
    )
    print(
        f"Versión {resultado.version} publicada con {resultado.archivo} "
        f"({resultado.tipo}, formato {resultado.formato}).\n"
        f"Filas leídas: {resultado.filas_leidas:,} = aceptadas: {resultado.filas_aceptadas:,} + "
        f"rechazadas: {resultado.filas_rechazadas:,} + omitidas (otra entidad o fuera de alcance): "
        f"{resultado.filas_omitidas:,} · advertencias: {resultado.advertencias:,}\n"
        f"Fecha de corte: {resultado.fecha_corte}\n"
        f"Filas rechazadas y motivos: {resultado.rechazos}"
    )
    for aviso in resultado.avisos:
        print(f"Aviso: {aviso}")
    if args.json:
        print(json.dumps(resultado.como_dict(), ensure_ascii=False))
    return 0


def _versiones(args: argparse.Namespace) -> int:
    versiones = Almacen(directorio_datos(args.datos)).versiones()
    if args.json:
        print(json.dumps(versiones, ensure_ascii=False, default=str))
        return 0
    if not versiones:
        print("El almacén no tiene versiones. Cargue un archivo o ejecute «ingesta ejemplo».")
        return 0
    for meta in versiones:
        carga = meta["carga"]
        marca = "*" if meta["actual"] else " "
        print(
            f"{marca} {meta['id']}  {meta['creada']}  corte {meta['fecha_corte']}  "
            f"{carga['tipo']}: {carga['archivo']} ({carga['filas_aceptadas']:,} aceptadas, "
            f"{carga['filas_rechazadas']:,} rechazadas, "
            f"{carga.get('filas_omitidas', 0):,} omitidas)"
        )
    print("* = versión actual")
    return 0


def _ejemplo(args: argparse.Namespace) -> int:
    if args.nacional:  # igual que SIGUE_ESTADO=00 para esta carga
        os.environ["SIGUE_ESTADO"] = "00"
    raiz = directorio_datos(args.datos)
    print(f"Generando y cargando los datos de ejemplo (sintéticos) en {raiz} ...")
    for resultado in cargar_ejemplo(raiz):
        print(
            f"  {resultado.tipo}: {resultado.filas_aceptadas:,} filas aceptadas, "
            f"{resultado.filas_rechazadas:,} rechazadas -> versión {resultado.version}"
        )
    return 0


def _actualizar(args: argparse.Namespace) -> int:
    from ingesta.actualizar import orden_actualizar

    return orden_actualizar(
        directorio_datos(args.datos),
        args.fuentes,
        como_json=args.json,
        tiempo_espera=args.tiempo_espera,
        limite_mb=args.limite_mb,
    )


class _ErrorDeUso(Exception):
    """Argumentos de la orden mal escritos (argparse diría ``error:`` en inglés y saldría 2)."""


class _Analizador(argparse.ArgumentParser):
    def error(self, message: str):
        traducido = (
            message.replace("the following arguments are required", "faltan los argumentos")
            .replace("invalid int value", "no es un número entero")
            .replace("invalid choice", "opción no válida")
            .replace("unrecognized arguments", "argumentos desconocidos")
            .replace("argument ", "argumento ")
        )
        raise _ErrorDeUso(f"{traducido}. Use «{self.prog} --help» para ver cómo se usa.")


def _analizador() -> argparse.ArgumentParser:
    analizador = _Analizador(
        prog="ingesta", description="Carga archivos publicados al almacén de versiones."
    )
    sub = analizador.add_subparsers(
        dest="orden", required=True, metavar="ORDEN", parser_class=_Analizador
    )

    cargar_p = sub.add_parser("cargar", help="carga un archivo y publica una versión nueva")
    cargar_p.add_argument("tipo", metavar="TIPO", help=", ".join(FUENTES))
    cargar_p.add_argument("archivo", metavar="ARCHIVO", help="CSV, XLSX, JSON o GeoJSON")
    cargar_p.add_argument(
        "--fecha-corte", help="fecha de corte AAAA-MM-DD (si el archivo no la trae)"
    )
    cargar_p.add_argument(
        "--anio", type=int, help="año de los datos, para archivos que no lo traen (Ramo 23...)"
    )
    cargar_p.add_argument(
        "--programa", help="clave del programa de un padrón público agregado (p. ej. S311)"
    )
    cargar_p.set_defaults(funcion=_cargar)

    versiones_p = sub.add_parser("versiones", help="lista las versiones, la más nueva primero")
    versiones_p.set_defaults(funcion=_versiones)

    ejemplo_p = sub.add_parser("ejemplo", help="genera y carga los datos de ejemplo (sintéticos)")
    ejemplo_p.add_argument(
        "--nacional",
        action="store_true",
        help="muestra nacional de varias entidades (como SIGUE_ESTADO=00)",
    )
    ejemplo_p.set_defaults(funcion=_ejemplo)

    actualizar_p = sub.add_parser(
        "actualizar", help="descarga las fuentes de fuentes.toml y carga las que cambiaron"
    )
    actualizar_p.add_argument(
        "--fuentes", metavar="ARCHIVO", help="archivo de fuentes (por omisión DIR/fuentes.toml)"
    )
    actualizar_p.add_argument(
        "--tiempo-espera", type=float, metavar="SEG", help="segundos sin datos antes de abandonar"
    )
    actualizar_p.add_argument(
        "--limite-mb", type=float, metavar="MB", help="tamaño máximo de un archivo descargado"
    )
    actualizar_p.set_defaults(funcion=_actualizar)

    for parser in (cargar_p, versiones_p, ejemplo_p, actualizar_p):
        parser.add_argument("--datos", metavar="DIR", help="carpeta del almacén")
    for parser in (cargar_p, versiones_p, actualizar_p):
        parser.add_argument("--json", action="store_true", help="salida en JSON (última línea)")
    return analizador


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
