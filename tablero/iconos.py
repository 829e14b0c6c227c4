"""Genera los íconos de la aplicación instalable (``tablero/assets/iconos/*.png``).

Se corre a mano cuando cambia el diseño; los PNG quedan en el repositorio::

    python -m tablero.iconos

Dibujo: fondo guinda (el color del encabezado) y tres barras blancas de alturas crecientes
sobre una línea base (cifras que suben: "seguir el dinero"). La versión *maskable* deja el
dibujo dentro del 80 % central, la zona que Android nunca recorta.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

CARPETA = Path(__file__).resolve().parent / "assets" / "iconos"
GUINDA = (74, 16, 48)
BLANCO = (255, 255, 255)
#: nombre de archivo -> (lado en píxeles, fracción del lado que ocupa el dibujo)
ICONOS = {
    "icono-192.png": (192, 0.78),
    "icono-512.png": (512, 0.78),
    "icono-maskable-512.png": (512, 0.6),
    "apple-touch-icon.png": (180, 0.78),
}


def dibujar(lado: int, fraccion: float) -> Image.Image:
    """Un ícono cuadrado de ``lado`` píxeles con el dibujo en ``fraccion`` del lado."""
    imagen = Image.new("RGB", (lado, lado), GUINDA)
    lapiz = ImageDraw.Draw(imagen)
    caja = lado * fraccion
    x0 = (lado - caja) / 2
    y0 = (lado - caja) / 2
    ancho = caja / 5
    base = y0 + caja
    for i, alto in enumerate((0.45, 0.7, 1.0)):
        izquierda = x0 + i * ancho * 2
        lapiz.rectangle(
            [
                round(izquierda),
                round(base - caja * alto * 0.9),
                round(izquierda + ancho),
                round(base),
            ],
            fill=BLANCO,
        )
    return imagen


def generar(carpeta: Path = CARPETA) -> list[Path]:
    """Escribe los PNG en ``carpeta`` y devuelve sus rutas."""
    carpeta.mkdir(parents=True, exist_ok=True)
    rutas = []
    for nombre, (lado, fraccion) in ICONOS.items():
        ruta = carpeta / nombre
        dibujar(lado, fraccion).save(ruta, optimize=True)
        rutas.append(ruta)
    return rutas


if __name__ == "__main__":
    for ruta in generar():
        print(ruta, ruta.stat().st_size, "bytes")
