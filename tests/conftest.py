"""Accesorios compartidos: el almacén con los datos de ejemplo se arma una sola vez por sesión."""

from __future__ import annotations

import sys

#: Con ``PYTHONDONTWRITEBYTECODE`` (así viene el entorno) cada proceso de pytest compilaba
#: de nuevo en cada corrida los ~360 módulos del proyecto y de las pruebas, y las páginas de
#: Dash en cada ``crear_app``: ~3 s de CPU por proceso. Python valida cada ``.pyc`` con la
#: fecha y el tamaño de su fuente; ``__pycache__/`` está en ``.gitignore``.
sys.dont_write_bytecode = False

import atexit  # noqa: E402
import csv  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from almacen.versiones import Almacen  # noqa: E402

#: Costo de scrypt de las contraseñas de funcionarios en las pruebas: el menor que Werkzeug
#: calcula (~1 ms por hash en vez de ~0.1-1 s). ``tablero.reportes.servicio.metodo_hash``
#: solo acepta un costo menor que el seguro mientras corre pytest (``PYTEST_CURRENT_TEST``).
SCRYPT_N_PRUEBAS = 2**7
os.environ.setdefault("SIGUE_SCRYPT_N", str(SCRYPT_N_PRUEBAS))

# Las pruebas no escriben en la caché del usuario (~/.cache): p. ej. la cobertura simplificada
# de los municipios se guarda en una carpeta temporal de este proceso, que se borra al salir.
if "SIGUE_CACHE" not in os.environ:
    _CACHE_PRUEBAS = tempfile.mkdtemp(prefix="sigue-cache-pruebas-")
    os.environ["SIGUE_CACHE"] = _CACHE_PRUEBAS
    atexit.register(shutil.rmtree, _CACHE_PRUEBAS, ignore_errors=True)
    # Salvo la geometría simplificada (``ingesta.geografia``), que se guarda entre corridas en
    # ``.pytest_cache``: simplificar los 2,465 municipios del país cuesta ~9 s de CPU y el
    # nombre del archivo es la huella de todo lo que lo determina (geometría de origen,
    # tolerancia, decimales, versión de GEOS). Los procesos de pytest-xdist heredan
    # ``SIGUE_CACHE`` del principal y comparten la carpeta; la escritura es atómica.
    # ``tests/test_geografia.py`` prueba la simplificación y su caché con una carpeta propia.
    _GEOGRAFIA = Path(__file__).resolve().parent.parent / ".pytest_cache" / "sigue-geografia"
    try:
        _GEOGRAFIA.mkdir(parents=True, exist_ok=True)
        (Path(_CACHE_PRUEBAS) / "geografia").symlink_to(_GEOGRAFIA, target_is_directory=True)
    except OSError:  # sin permiso de escritura: cada corrida simplifica en su carpeta temporal
        pass


#: ¿Está cargado el complemento de pytest de ``dash[testing]``? La suite rápida lo apaga
#: (``-p no:dash`` en ``addopts``: importa selenium y más en cada proceso, ~0.3-2 s de CPU
#: cada uno); las pruebas de navegador lo vuelven a encender con ``-p dash.testing.plugin``
#: (así las corren ``make test`` y ``make navegador``). Los complementos de ``-p`` y de
#: entry points se cargan antes que este archivo.
DASH_TESTING = "dash.testing.plugin" in sys.modules

# Sin el complemento, ``tests/navegador`` ni se recorre (sus accesorios lo necesitan).
collect_ignore = [] if DASH_TESTING else ["navegador"]


#: Paquetes instalados que pytest marca para reescribir sus ``assert`` solo porque su
#: distribución declara un complemento de pytest (``pytest11``): ``dash`` (por
#: ``dash[testing]``), ``hypothesis`` y ``trio``. Reescribir es leer, transformar y compilar
#: cada módulo en cada proceso (unos 280 módulos de Dash al importar el tablero; con
#: ``PYTHONDONTWRITEBYTECODE`` no queda en caché): ~2 s de CPU por proceso de pytest. Sus
#: ``assert`` no son los de nuestras pruebas; las pruebas y ``conftest`` se siguen reescribiendo.
SIN_REESCRIBIR = ("dash", "hypothesis", "trio")


def _no_reescribir_dependencias(config) -> None:
    """Quita :data:`SIN_REESCRIBIR` de los módulos que pytest reescribe (si ya los importó, nada)."""
    try:
        from _pytest.assertion import assertstate_key

        gancho = config.stash[assertstate_key].hook
        marcados = gancho._must_rewrite
    except (ImportError, KeyError, AttributeError):  # otra versión de pytest o --assert=plain
        return
    marcados.difference_update(SIN_REESCRIBIR)


def pytest_configure(config):
    """Pedir las pruebas de navegador sin el complemento de Dash es un error con su arreglo."""
    _no_reescribir_dependencias(config)
    if DASH_TESTING:
        return
    marcas = " ".join((config.getoption("markexpr") or "").split())
    pide_marca = "navegador" in marcas and "not navegador" not in marcas
    pide_ruta = any("navegador" in Path(str(a)).parts for a in config.args)
    if pide_marca or pide_ruta:
        raise pytest.UsageError(
            "Las pruebas de navegador usan dash[testing], apagado por omisión en la suite "
            "rápida: agrega -p dash.testing.plugin (como make navegador)."
        )


def pytest_collection_modifyitems(config, items):
    """Primero los archivos que no usan el almacén de ejemplo, luego los que sí.

    Con pytest-xdist (``--dist loadfile``) el primer proceso que pide el ejemplo lo arma
    (~7 s de CPU) y el otro, si también lo pide, espera el candado sin hacer nada. Con este
    orden el otro proceso sigue con archivos que no lo necesitan. El orden dentro de cada
    archivo no cambia (``sort`` es estable).
    """
    usa_ejemplo: dict[Path, bool] = {}
    for item in items:
        usa = "_carpeta_ejemplo" in getattr(item, "fixturenames", ())
        usa_ejemplo[item.path] = usa_ejemplo.get(item.path, False) or usa
    items.sort(key=lambda item: usa_ejemplo[item.path])


def pytest_collection_finish(session):
    """Menos trabajo del recolector de basura (~5 % de la CPU de la suite).

    Lo importado al recolectar (pandas, Dash, las páginas, los módulos de prueba: millones de
    objetos que viven hasta el final) queda fuera de las colecciones (``gc.freeze``) y las
    colecciones son menos frecuentes: solo cambia cuándo se libera la basura con ciclos.
    """
    import gc

    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _construir_ejemplo(carpeta: Path) -> None:
    from ingesta.carga import cargar_ejemplo

    cargar_ejemplo(carpeta / "ejemplo", cache=carpeta / "cache")


@pytest.fixture(scope="session")
def _carpeta_ejemplo(tmp_path_factory) -> Path:
    """Carpeta con ``cache/`` (crudos) y ``ejemplo/`` (almacén), propia de este proceso.

    Con pytest-xdist el ejemplo se construye una sola vez por corrida (el primer proceso que
    lo pide, con un candado) y cada proceso trabaja en su propia copia: el tablero escribe
    su base de reportes y su secreto en la carpeta de datos.
    """
    propia = tmp_path_factory.mktemp("ejemplo")
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        _construir_ejemplo(propia)
        return propia
    import fcntl

    comun = tmp_path_factory.getbasetemp().parent / "ejemplo-comun"
    comun.mkdir(exist_ok=True)
    with open(comun / "candado", "w") as candado:
        fcntl.flock(candado, fcntl.LOCK_EX)
        if not (comun / "listo").exists():
            _construir_ejemplo(comun)
            (comun / "listo").touch()
    for nombre in ("cache", "ejemplo"):
        shutil.copytree(comun / nombre, propia / nombre)
    return propia


@pytest.fixture(scope="session")
def geografia_nacional() -> None:
    """La cobertura simplificada de los 2,465 municipios, en la caché antes de usarla.

    Simplificarla cuesta ~9 s de CPU: con un candado en la carpeta de caché (compartida por
    los procesos de pytest-xdist) la calcula un solo proceso y el otro la lee al terminar.
    """
    import fcntl

    from almacen.config import directorio_cache
    from ingesta.geografia import municipios

    carpeta = directorio_cache()
    carpeta.mkdir(parents=True, exist_ok=True)
    with open(carpeta / "geografia-nacional.candado", "w") as candado:
        fcntl.flock(candado, fcntl.LOCK_EX)
        municipios("00").simplificados  # noqa: B018 - calcula o lee de la caché


@pytest.fixture(scope="session")
def cache_ejemplo(_carpeta_ejemplo) -> Path:
    """Carpeta con los archivos crudos de ejemplo (el padrón trae nombres y CURP ficticios)."""
    return _carpeta_ejemplo / "cache"


@pytest.fixture(scope="session")
def raiz_ejemplo(_carpeta_ejemplo) -> Path:
    """Almacén cargado con el conjunto de datos de ejemplo por la vía normal (``cargar``)."""
    return _carpeta_ejemplo / "ejemplo"


@pytest.fixture(scope="session")
def version_ejemplo(raiz_ejemplo):
    """Versión actual del almacén de ejemplo."""
    return Almacen(raiz_ejemplo).version()


def escribir_csv(
    carpeta: Path, nombre: str, filas: list[list], codificacion: str = "utf-8"
) -> Path:
    """Escribe un CSV pequeño (la primera fila es el encabezado) y devuelve su ruta."""
    texto = io.StringIO()
    csv.writer(texto, lineterminator="\n").writerows(filas)
    ruta = carpeta / nombre
    ruta.write_bytes(texto.getvalue().encode(codificacion))
    return ruta


def leer_rechazos(resultado) -> list[tuple[int, str, str]]:
    """Filas rechazadas de una carga como ``(fila, columna, motivo)``."""
    tabla = pd.read_csv(resultado.rechazos, dtype={"fila": int, "columna": str, "motivo": str})
    return list(tabla.itertuples(index=False, name=None))


def leer_advertencias(resultado) -> list[tuple[int, str, str]]:
    ruta = Path(resultado.rechazos).with_name(f"{resultado.tipo}-advertencias.csv")
    tabla = pd.read_csv(ruta, dtype={"fila": int, "columna": str, "motivo": str})
    return list(tabla.itertuples(index=False, name=None))


def valores(tabla: pd.DataFrame, columnas: list[str]) -> list[list]:
    """Filas de ``tabla`` como listas, con los nulos (NaN, NA, NaT) como ``None``."""
    parte = pd.DataFrame(tabla)[columnas].astype(object)
    return parte.where(parte.notna(), None).values.tolist()


def textos_de_archivos(carpeta: Path):
    """``(ruta, texto)`` de cada archivo bajo ``carpeta``, con Parquet decodificado.

    Un Parquet comprimido no deja ver sus textos como bytes: se leen todas sus celdas.
    """
    import pyarrow.parquet as pq

    for ruta in sorted(p for p in Path(carpeta).rglob("*") if p.is_file()):
        if ruta.suffix == ".parquet":
            tabla = pq.read_table(ruta)
            yield ruta, "\n".join(str(v) for col in tabla.columns for v in col.to_pylist())
        else:
            yield ruta, ruta.read_bytes().decode("utf-8", errors="replace")
