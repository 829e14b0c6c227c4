"""El flujo de datos es ingesta -> almacén -> capas -> tablero: nadie lee hacia atrás."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[1]


def _importados(paquete: str) -> dict[str, set[str]]:
    """``archivo -> paquetes de primer nivel que importa`` para cada módulo de ``paquete``."""
    importados = {}
    for ruta in sorted((RAIZ / paquete).rglob("*.py")):
        arbol = ast.parse(ruta.read_text(encoding="utf-8"))
        nombres = set()
        for nodo in ast.walk(arbol):
            if isinstance(nodo, ast.Import):
                nombres |= {alias.name.split(".")[0] for alias in nodo.names}
            elif isinstance(nodo, ast.ImportFrom) and nodo.module and not nodo.level:
                nombres.add(nodo.module.split(".")[0])
        importados[str(ruta.relative_to(RAIZ))] = nombres
    return importados


@pytest.mark.parametrize(
    ("paquete", "prohibidos"),
    [
        ("almacen", {"ingesta", "capas", "tablero"}),
        ("capas", {"ingesta", "tablero"}),
        ("tablero", {"ingesta"}),
    ],
)
def test_ningun_modulo_importa_hacia_atras(paquete, prohibidos):
    malos = {
        archivo: sorted(nombres & prohibidos)
        for archivo, nombres in _importados(paquete).items()
        if nombres & prohibidos
    }
    assert malos == {}
