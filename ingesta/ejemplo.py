"""Datos de ejemplo (sintéticos) con los que arranca la plataforma en una máquina nueva.

Se escriben como archivos crudos en los formatos reales que publican los gobiernos
(FORMATOS.md), para que la ingesta normal los cargue como los de cualquier usuario:

- ``escuelas.csv``: catálogo SIGED de la SEP (CP1252 y fin de línea CRLF, como se publica).
- ``matricula.csv``: Formato 911, ciclos 2023-2024 a 2025-2026.
- ``padron.csv``: padrón de beneficiarios SIIPP-G "Estructura Personas" (UTF-8).
- ``presupuesto.csv``: SHCP diseño A, ejercicios 2023 a 2025.
- ``obras.csv``: SHCP SRFT "destino del gasto", 2024-T1 a 2025-T3 (UTF-8 con BOM).
- ``estacionamientos.csv``: cajones para personas con discapacidad en la capital.

Todo es determinista: la misma semilla produce los mismos bytes. Cada parte usa su propio
generador (``default_rng([semilla, crc32(parte)])``), así que cambiar una no altera las
demás. Personas, escuelas, empresas, localidades y domicilios son inventados.

Los datos traen a propósito los problemas de calidad de los archivos reales (coordenadas en
otro municipio o invertidas, cobertura mayor a 100 %, avances físicos imposibles, folios
duplicados, sobrecostos...). La lista de esos casos sembrados se guarda en ``ejemplo.json``
junto con la semilla, la versión del generador, la entidad y las filas de cada archivo; es la
lista de lo sembrado a propósito: otras alertas surgen solas (p. ej. una obra suspendida cuyo
término estimado ya pasó también está vencida).

Con ``SIGUE_ESTADO=00`` (modo nacional) se genera una muestra de varias entidades
(:data:`ENTIDADES_NACIONAL`): la de cada entidad, con su propia semilla derivada, y los
archivos del mismo tipo unidos en uno solo (como un archivo nacional del SRFT o de la SHCP).

La entidad es la configurada (``municipios()``). Solo dos cosas dependen de que sea Oaxaca
(clave 20): el peso de sus ciudades más pobladas al repartir escuelas y obras (en otra
entidad los pesos son aleatorios) y los cajones de estacionamiento, que van en el centro de
Oaxaca de Juárez (20067); en otra entidad, en el municipio con más escuelas.
"""

from __future__ import annotations

import json
import os
import unicodedata
import zlib
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from almacen.config import clave_estado
from almacen.entidades import NACIONAL, es_nacional
from ingesta.geografia import Municipios, municipios

#: Cambia cuando cambia el contenido generado: invalida los archivos guardados en caché.
VERSION_GENERADOR = "2"
#: Archivo que marca una generación completa (semilla, versión, filas y casos sembrados).
ARCHIVO_MARCA = "ejemplo.json"
#: Tipo de fuente -> nombre de archivo, en el orden de carga.
ARCHIVOS = {
    "escuelas": "escuelas.csv",
    "matricula": "matricula.csv",
    "padron": "padron.csv",
    "presupuesto": "presupuesto.csv",
    "obras": "obras.csv",
    "estacionamientos": "estacionamientos.csv",
}
CICLOS = ("2023-2024", "2024-2025", "2025-2026")
CICLOS_PADRON = CICLOS[1:]
EJERCICIOS = (2023, 2024, 2025)
CORTES = {2023: date(2023, 12, 31), 2024: date(2024, 12, 31), 2025: date(2025, 9, 30)}
TRIMESTRES = ((2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3))
PROGRAMA = "Uniformes y útiles escolares gratuitos"
NIVELES_BASICA = ("PREESCOLAR", "PRIMARIA", "SECUNDARIA")
N_ESCUELAS, N_OBRAS, N_ESTACIONAMIENTOS = 4100, 1000, 150

# Alumnos por escuela según nivel: mínimo, mediana del excedente (lognormal) y máximo.
_TAMANO = {"PREESCOLAR": (20, 6, 80), "PRIMARIA": (40, 12, 400), "SECUNDARIA": (60, 18, 500)}
# Importe por alumno (uniforme, útiles) según nivel, en pesos.
_IMPORTE = {"PREESCOLAR": (380.0, 210.0), "PRIMARIA": (450.0, 320.5), "SECUNDARIA": (520.0, 365.75)}
_EDAD = ((3, 6), (6, 12), (12, 15))  # edad al inicio del ciclo por nivel básico, [min, max)
# Tipo de centro (letras 4-5 de la CCT) de las escuelas públicas por nivel, con su probabilidad.
_TIPOS = {
    "PREESCOLAR": {"JN": 0.7, "CC": 0.3},
    "PRIMARIA": {"PR": 0.7, "PB": 0.3},
    "SECUNDARIA": {"ES": 0.25, "ST": 0.2, "TV": 0.55},
    "MEDIA SUPERIOR": {"CB": 0.6, "CT": 0.4},
    "EDUCACIÓN ESPECIAL": {"ML": 1.0},
    "INICIAL": {"IN": 1.0},
}
# Miles de habitantes (aproximados) de las ciudades más pobladas de la entidad.
_CIUDADES = {
    "20": {
        "067": 270, "184": 160, "043": 115, "385": 90, "079": 85, "039": 80, "515": 65,
        "482": 55, "390": 50, "413": 50, "059": 50, "044": 45, "318": 45, "324": 45,
        "334": 45, "057": 40, "397": 40, "399": 40, "469": 40, "073": 35, "014": 30,
    }
}  # fmt: skip
# Abreviatura de cada entidad (clave INEGI 01 a 32) en la CURP y en los folios.
_CURP_ENTIDAD = (
    "AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ "
    "YN ZS"
).split()
_ABREV_ENTIDAD = (
    "AGS BC BCS CAMP COAH COL CHIS CHIH CDMX DGO GTO GRO HGO JAL MEX MICH MOR NAY NL OAX PUE QRO "
    "QROO SLP SIN SON TAB TAMPS TLAX VER YUC ZAC"
).split()


#: Entidades de la muestra nacional: Oaxaca (570 municipios), Morelos (36) y Ciudad de
#: México (16).
ENTIDADES_NACIONAL = ("20", "17", "09")


def generar(destino: Path, semilla: int = 2025, estado: str | None = None) -> dict[str, Path]:
    """Escribe los archivos de ejemplo en `destino` y devuelve tipo -> ruta, en el orden de carga.

    ``estado`` es la entidad (por omisión la configurada); con ``00`` (modo nacional), la
    muestra nacional de :func:`generar_nacional`. Si ``destino`` ya tiene una generación
    completa con la misma semilla, versión del generador y entidad (``ejemplo.json``), la
    devuelve sin volver a escribir.
    """
    estado = estado or clave_estado()
    if es_nacional(estado):
        return generar_nacional(destino, semilla)
    _validar_semilla(semilla)
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    rutas = {tipo: destino / nombre for tipo, nombre in ARCHIVOS.items()}
    marca = destino / ARCHIVO_MARCA
    if _vigente(marca, semilla, estado, rutas):
        return rutas  # sin cargar la geografía: arrancar con la caché es inmediato
    marca.unlink(missing_ok=True)
    m = municipios(estado)

    peso = _peso_poblacion(m, _rng(semilla, "poblacion"))
    escuelas, casos_esc = _escuelas(m, peso, _rng(semilla, "escuelas"))
    matricula = _matricula(escuelas, _rng(semilla, "matricula"))
    conteos, casos_pad = _conteos_padron(escuelas, matricula, _rng(semilla, "cobertura"))
    presupuesto, casos_pre = _presupuesto(m, escuelas, matricula, _rng(semilla, "presupuesto"))
    obras, casos_obr = _obras(m, peso, _rng(semilla, "obras"))
    estacionamientos = _estacionamientos(m, escuelas, _rng(semilla, "estacionamientos"))

    filas = {}
    for tipo, tabla, opciones in (
        ("escuelas", escuelas, {"encoding": "cp1252", "lineterminator": "\r\n"}),
        ("matricula", matricula, {}),
        ("presupuesto", presupuesto, {}),
        ("obras", obras, {"encoding": "utf-8-sig"}),
        ("estacionamientos", estacionamientos, {}),
    ):
        tabla.to_csv(rutas[tipo], index=False, **{"lineterminator": "\n", **opciones})
        filas[tipo] = len(tabla)
    publicas = escuelas[_es_basica_publica(escuelas)]
    filas["padron"] = _escribir_padron(
        rutas["padron"],
        publicas["CV_CCT"].to_numpy(),
        publicas["TIPONIVELSUB_C_SERVICION2"].map(NIVELES_BASICA.index).to_numpy(),
        conteos.loc[publicas["CV_CCT"]].to_numpy(),
        _rng(semilla, "padron"),
        m.estado,
    )
    datos = {
        "semilla": semilla,
        "version": VERSION_GENERADOR,
        "estado": m.estado,
        "archivos": {
            tipo: {"archivo": ruta.name, "filas": filas[tipo], "bytes": ruta.stat().st_size}
            for tipo, ruta in rutas.items()
        },
        "casos_sembrados": {
            "escuelas": casos_esc,
            "padron": casos_pad,
            "presupuesto": casos_pre,
            "obras": casos_obr,
        },
    }
    temporal = marca.with_suffix(".tmp")
    temporal.write_text(json.dumps(datos, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporal, marca)
    return rutas


def generar_nacional(
    destino: Path, semilla: int = 2025, entidades: tuple[str, ...] = ENTIDADES_NACIONAL
) -> dict[str, Path]:
    """Muestra nacional: la de cada entidad de ``entidades`` unida en un archivo por tipo.

    Cada entidad se genera en ``destino/<clave>/`` (con su propia marca y semilla
    ``semilla + clave``, así que se reutiliza si ya existe) y los archivos de un mismo tipo se
    unen: el encabezado una vez y las filas de todas, en el orden de ``entidades``. Las
    claves CCT y los folios empiezan con la entidad, así que no chocan entre entidades. Los
    cajones de estacionamiento son solo los de la primera entidad (un levantamiento local).
    """
    _validar_semilla(semilla)
    destino = Path(destino)
    destino.mkdir(parents=True, exist_ok=True)
    rutas = {tipo: destino / nombre for tipo, nombre in ARCHIVOS.items()}
    marca = destino / ARCHIVO_MARCA
    clave = f"{NACIONAL}:{','.join(entidades)}"
    if _vigente(marca, semilla, clave, rutas):
        return rutas
    marca.unlink(missing_ok=True)
    partes = [
        generar(destino / entidad, semilla + int(entidad), estado=entidad) for entidad in entidades
    ]
    for tipo, ruta in rutas.items():
        # Los cajones son un levantamiento de una ciudad (la capital de la primera entidad).
        _unir_csv(
            [parte[tipo] for parte in partes[: 1 if tipo == "estacionamientos" else None]], ruta
        )
    datos = {
        "semilla": semilla,
        "version": VERSION_GENERADOR,
        "estado": clave,
        "entidades": list(entidades),
        "archivos": {
            tipo: {"archivo": ruta.name, "bytes": ruta.stat().st_size}
            for tipo, ruta in rutas.items()
        },
    }
    temporal = marca.with_suffix(".tmp")
    temporal.write_text(json.dumps(datos, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporal, marca)
    return rutas


def _unir_csv(partes: list[Path], destino: Path) -> None:
    """Une CSV del mismo encabezado y codificación: el primero entero, de los demás las filas."""
    bom = b"\xef\xbb\xbf"
    temporal = destino.with_suffix(".tmp")
    with open(temporal, "wb") as salida:
        encabezado = None
        for ruta in partes:
            contenido = ruta.read_bytes()
            propio, _, filas = contenido.removeprefix(bom).partition(b"\n")
            if encabezado is None:
                encabezado = propio
                salida.write(contenido)
                continue
            if propio != encabezado:
                raise ValueError(f"{ruta} no tiene el mismo encabezado que {partes[0]}")
            salida.write(filas)
    os.replace(temporal, destino)


def escribir_padron(
    ruta: Path, filas: int, semilla: int = 2025, escuelas: pd.DataFrame | None = None
) -> Path:
    """Padrón sintético en el layout SIIPP-G (usado también por el benchmark de 1,000,000 filas).

    Parameters
    ----------
    ruta : archivo CSV (UTF-8) que se escribe.
    filas : número exacto de renglones de datos.
    semilla : semilla del generador.
    escuelas : catálogo crudo (``CV_CCT``, ``TIPONIVELSUB_C_SERVICION2``,
        ``SOSTENIMIENTO_C_CONTROL``) o normalizado (``cct``, ``nivel``, ``control``); se usan
        sus escuelas públicas de educación básica. Sin catálogo se inventan 4,000 claves CCT.
    """
    _validar_semilla(semilla)
    if isinstance(filas, bool) or not isinstance(filas, (int, np.integer)) or filas < 1:
        raise ValueError(f"filas debe ser un entero positivo; se recibió {filas!r}")
    rng = _rng(semilla, "padron")
    cct, nivel = _catalogo_padron(escuelas, rng)
    tamano = np.repeat(_tamanos(np.array(NIVELES_BASICA)[nivel], rng), len(CICLOS_PADRON))
    alumnos = int(filas / 1.9 * 1.005) + 50  # 1.9 renglones por alumno en promedio
    while True:
        conteos = rng.multinomial(alumnos, tamano / tamano.sum()).reshape(len(cct), -1)
        if _escribir_padron(ruta, cct, nivel, conteos, rng, clave_estado(), int(filas)) == filas:
            return Path(ruta)
        alumnos = int(alumnos * 1.1)


# --------------------------------------------------------------------------------------
# Escuelas (catálogo SIGED) y matrícula (Formato 911)
# --------------------------------------------------------------------------------------

_NOMBRES_ESCUELA = (
    "BENITO JUÁREZ|NIÑOS HÉROES|MIGUEL HIDALGO|JOSÉ MARÍA MORELOS Y PAVÓN|VICENTE GUERRERO|"
    "EMILIANO ZAPATA|LÁZARO CÁRDENAS|JUSTO SIERRA|IGNACIO ZARAGOZA|CUAUHTÉMOC|"
    "JOSEFA ORTIZ DE DOMÍNGUEZ|MARGARITA MAZA DE JUÁREZ|GABRIELA MISTRAL|RICARDO FLORES MAGÓN|"
    "JOSÉ VASCONCELOS|SOR JUANA INÉS DE LA CRUZ|MOISÉS SÁENZ|AMADO NERVO|FRANCISCO I. MADERO|"
    "LEONA VICARIO|GUADALUPE VICTORIA|ROSAURA ZAPATA|ESTEFANÍA CASTAÑEDA|NIÑO ARTILLERO|"
    "REVOLUCIÓN|INDEPENDENCIA|REFORMA|5 DE MAYO|20 DE NOVIEMBRE|16 DE SEPTIEMBRE|PATRIA|ESPAÑA|"
    "CRISTÓBAL COLÓN|NETZAHUALCÓYOTL|CUITLÁHUAC|ADOLFO LÓPEZ MATEOS|AÑO DE JUÁREZ|"
    "MANUEL ÁVILA CAMACHO|FRIDA KAHLO|ROSARIO CASTELLANOS"
).split("|")
_NOMBRES_PRIVADA = (
    "COLEGIO NUEVO AMANECER|INSTITUTO PEÑA AZUL|COLEGIO ARCOÍRIS|INSTITUTO SANTA MÓNICA|"
    "COLEGIO ALBATROS|INSTITUTO JEAN PIAGET|COLEGIO CRECER|INSTITUTO CUMBRES DEL SUR|"
    "COLEGIO MONTESSORI DEL VALLE|INSTITUTO AMÉRICA|COLEGIO LUZ Y SABER|COLEGIO ÑANDÚ"
).split("|")
_NOMBRES_NUMERADOS = {
    "ST": "ESCUELA SECUNDARIA TÉCNICA NÚM. ",
    "CB": "COLEGIO DE BACHILLERES PLANTEL ",
    "CT": "CENTRO DE BACHILLERATO TECNOLÓGICO NÚM. ",
    "ML": "CENTRO DE ATENCIÓN MÚLTIPLE NÚM. ",
    "IN": "CENTRO DE EDUCACIÓN INICIAL NÚM. ",
}
_LOCALIDADES = (
    "El Progreso|San José|La Ciénega|Río Grande|Llano de la Cruz|Cerro de la Peña|El Carrizal|"
    "La Soledad|Santa Rosa|Buenavista|El Porvenir|La Unión|Guadalupe Victoria|Loma Larga|"
    "El Paraíso|San Isidro|Arroyo Seco|Piedra Ancha|La Cañada|Agua Fría|Los Naranjos|"
    "Barrio Nuevo|El Mirador|Peña Colorada"
).split("|")


def _escuelas(
    m: Municipios, peso: np.ndarray, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Catálogo: un preescolar y una primaria públicos por municipio, el resto según población."""
    mun = m.completos.reset_index(drop=True)
    n_mun = len(mun)
    reparto = rng.multinomial(N_ESCUELAS - 2 * n_mun, peso / peso.sum())
    i_mun = np.concatenate([np.tile(np.arange(n_mun), 2), np.repeat(np.arange(n_mun), reparto)])
    n = len(i_mun)
    niveles = list(_TIPOS)
    resto = rng.choice(len(niveles), n - 2 * n_mun, p=[0.3, 0.4, 0.245, 0.03, 0.015, 0.01])
    i_nivel = np.concatenate([np.zeros(n_mun, int), np.ones(n_mun, int), resto])
    nivel = _de(niveles, i_nivel)
    # Las particulares (~10 %) se concentran en las ciudades.
    p_privada = np.clip(0.03 + 0.4 * np.sqrt(peso / peso.max())[i_mun], 0, 0.3)
    privada = (np.arange(n) >= 2 * n_mun) & (rng.random(n) < p_privada) & (i_nivel < 3)

    tipo = np.empty(n, dtype=object)
    for niv, tipos in _TIPOS.items():
        sel = np.flatnonzero((nivel == niv) & ~privada)
        tipo[sel] = rng.choice(list(tipos), len(sel), p=list(tipos.values()))
    tipo[privada] = _de(["JN", "PR", "ES"], i_nivel[privada])
    nombre = _al_azar(_NOMBRES_ESCUELA, n, rng)
    nombre[privada] = _al_azar(_NOMBRES_PRIVADA, privada.sum(), rng)
    numero = rng.integers(1, 300, n).astype(str).astype(object)
    for clave_tipo, prefijo in _NOMBRES_NUMERADOS.items():
        nombre[tipo == clave_tipo] = prefijo + numero[tipo == clave_tipo]
    cct = _claves_cct(m.estado, np.where(privada, "P", "D"), tipo, rng)
    cabecera = rng.random(n) < 0.5
    cve_loc = np.where(cabecera, 1, rng.integers(2, 400, n))
    localidad = np.where(
        cabecera, mun["municipio"].to_numpy()[i_mun], _al_azar(_LOCALIDADES, n, rng)
    )

    # Coordenadas en el municipio declarado, salvo ~2 % en el vecino, ~1 % vacías y ~0.5 %
    # con latitud y longitud invertidas.
    orden = rng.permutation(n)
    fuera, vacias, invertidas = np.split(
        orden[: round(0.035 * n)], [round(0.02 * n), round(0.03 * n)]
    )
    destino = mun["cvegeo"].to_numpy()[i_mun]
    destino[fuera] = mun["cvegeo"].to_numpy()[_vecinos(m)[i_mun[fuera]]]
    lon, lat = _puntos_en(m, destino, rng)
    lon[vacias] = lat[vacias] = np.nan
    lon[invertidas], lat[invertidas] = lat[invertidas], lon[invertidas]

    df = pd.DataFrame(
        {
            "CV_CCT": cct,
            "C_NOMBRE": nombre,
            "INMUEBLE_CV_ENT": m.estado,
            "INMUEBLE_CV_MUN": mun["cve_mun"].to_numpy()[i_mun],
            "INMUEBLE_C_NOM_MUN": mun["municipio"].to_numpy()[i_mun],
            "INMUEBLE_CV_LOC": np.char.zfill(cve_loc.astype(str), 4),
            "INMUEBLE_C_NOM_LOC": localidad,
            "INMUEBLE_LATITUD": _decimales(lat),
            "INMUEBLE_LONGITUD": _decimales(lon),
            "TIPONIVELSUB_C_SERVICION2": nivel,
            "SOSTENIMIENTO_C_CONTROL": np.where(privada, "PRIVADO", "PÚBLICO"),
            "C_TURNO_1": np.where(rng.random(n) < 0.12, "VESPERTINO", "MATUTINO"),
        }
    )
    casos = {
        "fuera_de_municipio": sorted(cct[fuera]),
        "coordenadas_invertidas": sorted(cct[invertidas]),
        "sin_coordenadas": sorted(cct[vacias]),
    }
    return df.iloc[np.lexsort((cct, i_mun))].reset_index(drop=True), casos


def _claves_cct(
    estado: str, control: np.ndarray, tipo: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Claves CCT únicas: entidad + control (D/P) + tipo + 4 dígitos + letra verificadora."""
    numero = np.zeros(len(tipo), dtype=int)
    for _, indices in pd.Series(np.arange(len(tipo))).groupby([control, tipo], sort=True):
        numero[indices.to_numpy()] = rng.choice(np.arange(1, 10000), len(indices), replace=False)
    base = (
        estado + control.astype(object) + tipo + np.char.zfill(numero.astype(str), 4).astype(object)
    )
    codigos = np.frombuffer("".join(base).encode("ascii"), dtype=np.uint8).reshape(-1, 9)
    letra = (codigos.astype(np.int64) @ np.arange(3, 12)) % 26 + ord("A")
    return base + _de([chr(c) for c in range(91)], letra)


def _peso_poblacion(m: Municipios, rng: np.random.Generator) -> np.ndarray:
    """Peso de cada municipio (miles de habitantes, aproximado) para repartir escuelas y obras."""
    peso = rng.lognormal(np.log(3.5), 0.9, len(m.completos))
    ciudades = _CIUDADES.get(m.estado, {})
    conocidas = m.completos["cve_mun"].isin(list(ciudades)).to_numpy()
    peso[conocidas] = m.completos["cve_mun"][conocidas].map(ciudades).to_numpy()
    return peso


def _es_basica_publica(escuelas: pd.DataFrame) -> pd.Series:
    basica = escuelas["TIPONIVELSUB_C_SERVICION2"].isin(NIVELES_BASICA)
    return basica & (escuelas["SOSTENIMIENTO_C_CONTROL"] == "PÚBLICO")


def _tamanos(nivel: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Alumnos inscritos por escuela según su nivel, sesgados hacia escuelas chicas."""
    minimo, mediana, maximo = (np.array([_TAMANO[x][j] for x in nivel]) for j in range(3))
    extra = mediana * np.exp(0.95 * rng.normal(0, 1, len(nivel)))
    return np.clip(np.round(minimo + extra), minimo, maximo).astype(np.int64)


def _matricula(escuelas: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Inscritos, existencia y aprobados de cada escuela básica (pública o privada) por ciclo.

    Deserción de 1-6 % y aprobación de 85-99 %, distintas por municipio y año.
    """
    basica = escuelas[escuelas["TIPONIVELSUB_C_SERVICION2"].isin(NIVELES_BASICA)]
    n = len(basica)
    i_mun, claves = pd.factorize(basica["INMUEBLE_CV_MUN"])
    nivel = basica["TIPONIVELSUB_C_SERVICION2"].to_numpy()
    base = _tamanos(nivel, rng)
    minimo, maximo = (np.array([_TAMANO[x][j] for x in nivel]) for j in (0, 2))
    tendencia = rng.normal(0.0, 0.03, n)
    desercion_mun = rng.uniform(0.015, 0.05, len(claves))
    aprobacion_mun = rng.uniform(0.87, 0.97, len(claves))
    partes = []
    for k, ciclo in enumerate(CICLOS):
        inscritos = np.round(base * (1 + tendencia * k) * rng.normal(1, 0.03, n))
        inscritos = np.clip(inscritos, minimo, maximo).astype(np.int64)
        desercion = np.clip(desercion_mun + rng.normal(0, 0.008, len(claves)), 0.01, 0.06)
        aprobacion = np.clip(aprobacion_mun + rng.normal(0, 0.015, len(claves)), 0.85, 0.99)
        existencia = inscritos - _repartir(inscritos, desercion, i_mun, rng)
        aprobados = _repartir(existencia, aprobacion, i_mun, rng)
        partes.append(
            pd.DataFrame(
                {
                    "CV_CCT": basica["CV_CCT"].to_numpy(),
                    "CICLO": ciclo,
                    "INSCRITOS": inscritos,
                    "EXISTENCIA": existencia,
                    "APROBADOS": aprobados,
                }
            )
        )
    return pd.concat(partes, ignore_index=True)


def _repartir(
    base: np.ndarray, tasa: np.ndarray, i_mun: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Enteros ``<= base`` por escuela cerca de ``base * tasa`` de su municipio.

    Redondeo aleatorio por escuela; la escuela más grande de cada municipio absorbe la
    diferencia para que la tasa municipal sea la buscada aun en municipios chicos.
    """
    cuenta = np.floor(base * tasa[i_mun] + rng.random(len(base))).astype(np.int64)
    objetivo = np.round(np.bincount(i_mun, base * tasa[i_mun], len(tasa))).astype(np.int64)
    faltan = objetivo - np.bincount(i_mun, cuenta, len(tasa))
    orden = np.lexsort((base, i_mun))
    mayor = orden[np.r_[i_mun[orden][1:] != i_mun[orden][:-1], True]]
    cuenta[mayor] = np.clip(cuenta[mayor] + faltan[i_mun[mayor]], 0, base[mayor])
    return cuenta


# --------------------------------------------------------------------------------------
# Padrón de beneficiarios (SIIPP-G, Estructura Personas)
# --------------------------------------------------------------------------------------

# Apellidos y nombres comunes con su frecuencia relativa; las combinaciones son ficticias.
_APELLIDOS = {
    "HERNÁNDEZ": 10, "GARCÍA": 9, "MARTÍNEZ": 9, "LÓPEZ": 8, "PÉREZ": 7, "GONZÁLEZ": 6,
    "SANTIAGO": 6, "CRUZ": 6, "RAMÍREZ": 5, "SÁNCHEZ": 5, "JIMÉNEZ": 5, "RUIZ": 4, "VÁSQUEZ": 4,
    "MORALES": 4, "REYES": 4, "LUIS": 3, "JOSÉ": 3, "ANTONIO": 3, "BAUTISTA": 3, "AQUINO": 3,
    "MENDOZA": 3, "GÓMEZ": 3, "DÍAZ": 3, "TORRES": 3, "VELASCO": 2, "MATÍAS": 2, "RAMOS": 2,
    "ORTIZ": 2, "JUÁREZ": 2, "CASTILLO": 2, "CHÁVEZ": 2, "ZÁRATE": 2, "NUÑEZ": 2, "PEÑA": 2,
    "MUÑOZ": 2, "IBÁÑEZ": 1, "ORDÓÑEZ": 1, "ZÚÑIGA": 1, "TOLEDO": 1, "CORTÉS": 1,
    "DE LA CRUZ": 1, "ESPAÑA": 1,
}  # fmt: skip
_NOMBRES_H = {
    "JOSÉ LUIS": 4, "JUAN CARLOS": 3, "SANTIAGO": 5, "MATEO": 4, "DIEGO": 3, "EMILIANO": 4,
    "ÁNGEL": 3, "LEONARDO": 3, "SEBASTIÁN": 3, "JESÚS": 3, "MIGUEL ÁNGEL": 3, "IKER": 2,
    "GAEL": 3, "DAVID": 2, "ALEXANDER": 2, "ERICK": 2, "JOSUÉ": 2, "ADRIÁN": 2, "MOISÉS": 1,
    "NOÉ": 1, "FERNANDO": 2, "ISAAC": 2, "MAXIMILIANO": 2, "AXEL": 2, "ÍÑIGO": 1,
}  # fmt: skip
_NOMBRES_M = {
    "MARÍA FERNANDA": 4, "MARÍA JOSÉ": 3, "XIMENA": 4, "SOFÍA": 4, "VALERIA": 3, "CAMILA": 3,
    "REGINA": 3, "GUADALUPE": 3, "ITZEL": 3, "YARETZI": 2, "NAYELI": 2, "ANA PAULA": 2,
    "LUCÍA": 2, "RENATA": 3, "JIMENA": 2, "CITLALI": 2, "MONTSERRAT": 2, "ZOÉ": 1, "ÁNGELA": 2,
    "DANIELA": 2, "NATALIA": 2, "ANDREA": 2, "ESMERALDA": 1, "YAMILETH": 1, "BEGOÑA": 1,
}  # fmt: skip
_COLUMNAS_PADRON = (
    "ID_PERSONA,NB_PRIMER_AP,NB_SEGUNDO_AP,NB_NOMBRE,NB_CURP,FH_NACIMIENTO,CD_SEXO,CV_CCT,CICLO,"
    "CD_BENEFICIO,NU_IMP_MONETARIO,FH_ENTREGA"
).split(",")


def _conteos_padron(
    escuelas: pd.DataFrame, matricula: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Alumnos beneficiarios por escuela pública (filas, ``CV_CCT``) y ciclo (columnas).

    Cobertura desigual por municipio: la mayoría 85-100 %, ~12 % de 60-80 %, cinco sin
    beneficiarios y dos por encima de 100 % (más beneficiarios que inscritos). Además, en
    municipios con muchas escuelas, ~2 % de ellas no recibió nada.
    """
    publicas = escuelas[_es_basica_publica(escuelas)].set_index("CV_CCT")
    inscritos = matricula.pivot(index="CV_CCT", columns="CICLO", values="INSCRITOS")
    inscritos = inscritos.loc[publicas.index, list(CICLOS_PADRON)].to_numpy()
    i_mun, claves = pd.factorize(publicas["INMUEBLE_CV_MUN"])
    n_mun = len(claves)
    orden = rng.permutation(n_mun)
    sin, sobre, baja = orden[:5], orden[5:7], orden[7 : 7 + round(0.12 * n_mun)]
    cobertura = rng.uniform(0.86, 0.99, n_mun)
    cobertura[baja] = rng.uniform(0.62, 0.80, len(baja))
    conteos = np.zeros_like(inscritos)
    muchas = np.bincount(i_mun)[i_mun] >= 8
    for k in range(len(CICLOS_PADRON)):
        p = np.clip(cobertura + rng.normal(0, 0.012, n_mun), 0, 0.995)
        p[sin] = 0.0
        p = p[i_mun]
        p[(rng.random(len(p)) < 0.02) & muchas] = 0.0
        conteos[:, k] = rng.binomial(inscritos[:, k], p)
        extra = np.isin(i_mun, sobre)
        conteos[extra, k] = inscritos[extra, k] + rng.binomial(inscritos[extra, k], 0.08)
    estado = escuelas["INMUEBLE_CV_ENT"].iloc[0]
    casos = {
        "municipios_sin_beneficiarios": sorted(estado + claves[sin]),
        "municipios_cobertura_mayor_100": sorted(estado + claves[sobre]),
        "municipios_cobertura_baja": sorted(estado + claves[baja]),
    }
    return pd.DataFrame(conteos, index=publicas.index, columns=list(CICLOS_PADRON)), casos


def _escribir_padron(
    ruta: Path,
    cct: np.ndarray,
    nivel: np.ndarray,
    conteos: np.ndarray,
    rng: np.random.Generator,
    estado: str,
    filas: int | None = None,
) -> int:
    """Escribe ``conteos[escuela, ciclo]`` alumnos por escuela y ciclo; devuelve los renglones.

    ``nivel``: 0 preescolar, 1 primaria, 2 secundaria. Cada alumno recibe los dos beneficios
    (dos renglones, 90 %) o uno solo. El 0.2 % aparece además en otra escuela del mismo nivel
    con la misma CURP. Con ``filas`` el archivo se corta en ese renglón. Todo vectorizado:
    las columnas de texto se arman con ``pyarrow.compute.take`` sobre listas cortas.
    """
    nivel = np.asarray(nivel)
    n_esc, n_cic = conteos.shape
    celda = np.repeat(np.arange(n_esc * n_cic), conteos.ravel())
    esc, cic = celda // n_cic, celda % n_cic
    n = len(esc)
    niv = nivel[esc]
    anios = np.array([int(c[:4]) for c in CICLOS_PADRON])
    apellidos, p_ap = _lista(_APELLIDOS)
    nombres_h, p_h = _lista(_NOMBRES_H)
    nombres_m, p_m = _lista(_NOMBRES_M)
    mujer = rng.random(n) < 0.49
    ap1, ap2 = rng.choice(len(apellidos), n, p=p_ap), rng.choice(len(apellidos), n, p=p_ap)
    nom_m = len(nombres_h) + rng.choice(len(nombres_m), n, p=p_m)
    nom = np.where(mujer, nom_m, rng.choice(len(nombres_h), n, p=p_h))
    edad = rng.integers(np.array(_EDAD)[niv, 0], np.array(_EDAD)[niv, 1]) + (rng.random(n) < 0.03)
    nacimiento = _dia(anios[cic] - edad - 1, 9, 2) + rng.integers(0, 365, n)
    curp = _curps(apellidos, nombres_h + nombres_m, ap1, ap2, nom, nacimiento, mujer, estado, rng)

    # Un registro de otra escuela del mismo nivel y ciclo toma los datos (y la CURP) del alumno.
    grupo = cic * 3 + niv
    por_grupo = np.argsort(grupo, kind="stable")
    inicio_grupo = np.searchsorted(grupo[por_grupo], np.arange(3 * n_cic))
    origen = rng.choice(n, round(0.002 * n), replace=False)
    salto = (
        rng.random(len(origen)) * np.bincount(grupo, minlength=3 * n_cic)[grupo[origen]]
    ).astype(int)
    copia = por_grupo[inicio_grupo[grupo[origen]] + salto]
    valido = (esc[copia] != esc[origen]) & ~np.isin(copia, origen)
    _, primera = np.unique(np.where(valido, copia, -1), return_index=True)
    primera = primera[valido[primera]]
    for arreglo in (ap1, ap2, nom, mujer, nacimiento, curp):
        arreglo[copia[primera]] = arreglo[origen[primera]]
    alumno_de = np.lexsort((nom, ap2, ap1, esc, cic))  # orden del archivo: ciclo, escuela, nombre
    esc, cic = esc[alumno_de], cic[alumno_de]

    # Beneficios: ambos (90 %), solo uniforme (4 %) o solo útiles (6 %).
    u = rng.random(n)
    k = np.where(u < 0.90, 2, 1)
    reg = np.repeat(np.arange(n), k)
    beneficio = np.where(
        k[reg] == 2, np.arange(len(reg)) - np.repeat(np.cumsum(k) - k, k), u[reg] >= 0.94
    )
    reg, beneficio = reg[:filas], beneficio[:filas].astype(np.int64)
    celda = esc[reg] * n_cic + cic[reg]  # fecha de entrega por escuela, ciclo y beneficio
    entrega = _dia(anios[cic[reg]], 8, 18) + rng.integers(0, 75, n_esc * n_cic)[celda]
    entrega += beneficio * rng.integers(0, 21, n_esc * n_cic)[celda]
    alumno = alumno_de[reg]
    importes = [f"${v:,.2f}" for x in NIVELES_BASICA for v in _IMPORTE[x]]
    fechas = _tabla_fechas()[1]
    columnas = [
        pa.array(reg + 1),
        _tomar(apellidos, ap1[alumno]),
        _tomar(apellidos, ap2[alumno]),
        _tomar(nombres_h + nombres_m, nom[alumno]),
        pa.array(np.ascontiguousarray(curp[alumno]).view("S18").ravel()).cast(pa.string()),
        pc.take(fechas, nacimiento[alumno]),
        _tomar(["H", "M"], mujer[alumno].astype(np.int8)),
        _tomar(list(cct), esc[reg]),
        _tomar(list(CICLOS_PADRON), cic[reg]),
        _tomar(["UNIFORME", "UTILES"], beneficio),
        _tomar(importes, nivel[esc[reg]] * 2 + beneficio),
        pc.take(fechas, entrega),
    ]
    with pa.OSFile(str(ruta), "wb") as salida:  # encabezado sin comillas, como los originales
        salida.write((",".join(_COLUMNAS_PADRON) + "\n").encode("utf-8"))
        pacsv.write_csv(
            pa.table(columnas, names=_COLUMNAS_PADRON),
            salida,
            pacsv.WriteOptions(include_header=False, quoting_style="none"),
        )
    return len(reg)


def _curps(
    apellidos: list[str],
    nombres: list[str],
    ap1: np.ndarray,
    ap2: np.ndarray,
    nom: np.ndarray,
    nacimiento: np.ndarray,
    mujer: np.ndarray,
    estado: str,
    rng: np.random.Generator,
) -> np.ndarray:
    """CURP estructuralmente válidas y únicas, como matriz ``(n, 18)`` de bytes ASCII.

    Inicial y primera vocal interna del primer apellido, inicial del segundo, inicial del
    nombre, AAMMDD, sexo, entidad, primeras consonantes internas de apellidos y nombre,
    homoclave (letra: nacidos desde 2000) y dígito verificador (algoritmo de RENAPO).
    """
    n = len(ap1)
    p_ap, p_nom = _partes_curp(tuple(apellidos)), _partes_curp(tuple(nombres))
    curp = np.empty((n, 18), dtype=np.uint8)
    curp[:, 0], curp[:, 1], curp[:, 2], curp[:, 3] = (
        p_ap[ap1, 0],
        p_ap[ap1, 1],
        p_ap[ap2, 0],
        p_nom[nom, 0],
    )
    curp[:, 4:10] = _tabla_fechas()[0][nacimiento]
    curp[:, 10] = np.where(mujer, ord("M"), ord("H"))
    curp[:, 11:13] = np.frombuffer(_CURP_ENTIDAD[int(estado) - 1].encode("ascii"), dtype=np.uint8)
    curp[:, 13], curp[:, 14], curp[:, 15] = p_ap[ap1, 2], p_ap[ap2, 2], p_nom[nom, 2]
    # Llave entera de todo lo que no es homoclave, para detectar CURP repetidas.
    clave = np.zeros(n, dtype=np.int64)
    for j in (0, 1, 2, 3, 13, 14, 15):
        clave = clave * 26 + curp[:, j] - ord("A")
    clave = (clave * 12000 + nacimiento) * 2 + mujer
    homoclave = rng.integers(0, 26, n)
    for _ in range(100):
        repetida = pd.Series(clave * 26 + homoclave).duplicated().to_numpy()
        if not repetida.any():
            break
        homoclave[repetida] = rng.integers(0, 26, repetida.sum())
    else:  # pragma: no cover - haría falta una cantidad absurda de homónimos
        raise RuntimeError("no se pudieron generar CURP únicas")
    curp[:, 16] = ord("A") + homoclave
    valor = np.zeros(256, dtype=np.int64)  # 0-9, A-N = 10-23, (Ñ = 24), O-Z = 25-36
    valor[48:58], valor[65:79], valor[79:91] = np.arange(10), np.arange(10, 24), np.arange(25, 37)
    suma = valor[curp[:, :17]] @ np.arange(18, 1, -1)
    curp[:, 17] = ord("0") + (10 - suma % 10) % 10
    return curp


@cache
def _partes_curp(nombres: tuple[str, ...]) -> np.ndarray:
    """Por nombre: inicial, primera vocal interna y primera consonante interna (bytes ASCII).

    Como en la CURP: la Ñ se escribe X, se omiten preposiciones y artículos, y en nombres
    compuestos con MARÍA o JOSÉ se usa el segundo.
    """
    resultado = np.empty((len(nombres), 3), dtype=np.uint8)
    for i, nombre in enumerate(nombres):
        palabras = _sin_acentos(nombre.upper().replace("Ñ", "X")).split()
        palabras = [p for p in palabras if p not in ("DE", "LA", "LAS", "LOS", "DEL", "Y")]
        if len(palabras) > 1 and palabras[0] in ("MARIA", "JOSE"):
            palabras = palabras[1:]
        resto = palabras[0][1:]
        vocal = next((c for c in resto if c in "AEIOU"), "X")
        consonante = next((c for c in resto if c not in "AEIOU"), "X")
        resultado[i] = [ord(palabras[0][0]), ord(vocal), ord(consonante)]
    return resultado


def _catalogo_padron(
    escuelas: pd.DataFrame | None, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Claves CCT y nivel (0, 1, 2) de las escuelas públicas de educación básica."""
    if escuelas is None:
        nivel = rng.choice(3, 4000, p=[0.38, 0.44, 0.18])
        tipo = _de(["JN", "PR", "ES"], nivel)
        return _claves_cct(clave_estado(), np.full(4000, "D"), tipo, rng), nivel
    normalizadas = {_normalizar(c).replace(" ", "_"): c for c in escuelas.columns}

    def columna(*nombres: str) -> pd.Series | None:
        for nombre in nombres:
            if nombre in normalizadas:
                return escuelas[normalizadas[nombre]].map(_normalizar)
        return None

    cct, nivel = columna("CV_CCT", "CCT", "CLAVECCT"), columna("TIPONIVELSUB_C_SERVICION2", "NIVEL")
    control = columna("SOSTENIMIENTO_C_CONTROL", "CONTROL")
    if cct is None or nivel is None:
        raise ValueError(
            "escuelas debe traer la clave CCT (CV_CCT o cct) y el nivel (TIPONIVELSUB_C_SERVICION2 "
            f"o nivel); se recibieron las columnas {list(escuelas.columns)}"
        )
    conservar = nivel.isin(NIVELES_BASICA)
    if control is not None:
        conservar &= control == "PUBLICO"
    if not conservar.any():
        raise ValueError("escuelas no tiene escuelas públicas de educación básica")
    niveles = nivel[conservar].map(NIVELES_BASICA.index).to_numpy()
    return cct[conservar].to_numpy(dtype=object), niveles


def _lista(frecuencias: dict[str, int]) -> tuple[list[str], np.ndarray]:
    """Nombres en orden alfabético y sus probabilidades."""
    nombres = sorted(frecuencias, key=_sin_acentos)
    pesos = np.array([frecuencias[x] for x in nombres], dtype=float)
    return nombres, pesos / pesos.sum()


def _tomar(valores: list[str], indices: np.ndarray) -> pa.Array:
    """``valores[indices]`` como columna de texto de Arrow (rápido con millones de renglones)."""
    return pc.take(pa.array(valores, type=pa.string()), pa.array(indices))


# --------------------------------------------------------------------------------------
# Presupuesto del programa (SHCP, diseño A)
# --------------------------------------------------------------------------------------

# Semáforo buscado por municipio y ejercicio, con su probabilidad.
_SEMAFOROS = {"verde": 0.68, "amarillo": 0.17, "rezago_grave": 0.09}
_SEMAFOROS |= {"sobregiro": 0.03, "sin_dato": 0.03}
_P_COMPROBADO = {2023: 0.6, 2024: 0.5, 2025: 0.25}  # renglones con monto comprobado


def _presupuesto(
    m: Municipios, escuelas: pd.DataFrame, matricula: pd.DataFrame, rng: np.random.Generator
) -> tuple[pd.DataFrame, dict]:
    """Dos conceptos por municipio y ejercicio (uniformes, útiles) y dos líneas estatales.

    El aprobado sale de la matrícula pública del ciclo que empieza ese año. El avance se fija
    por municipio para que el semáforo muestre todas sus luces: en tiempo, con rezago (0.7 a
    0.9 de lo esperado), rezago grave, sobregiro (ejercido mayor que el modificado) y sin dato.
    """
    publicas = escuelas.loc[
        _es_basica_publica(escuelas), ["CV_CCT", "INMUEBLE_CV_MUN", "TIPONIVELSUB_C_SERVICION2"]
    ]
    mat = matricula.merge(publicas, on="CV_CCT")
    for j, concepto in enumerate(("uniformes", "utiles")):
        importe = {nivel: montos[j] for nivel, montos in _IMPORTE.items()}
        mat[concepto] = mat["INSCRITOS"] * mat["TIPONIVELSUB_C_SERVICION2"].map(importe)
    montos = mat.groupby(["CICLO", "INMUEBLE_CV_MUN"])[["uniformes", "utiles"]].sum()
    claves = m.completos["cve_mun"].to_numpy()
    n = len(claves)
    partes, casos = [], {}
    for ciclo, anio in zip(CICLOS, EJERCICIOS, strict=True):
        esperado = min(1.0, CORTES[anio].timetuple().tm_yday / 365)
        aprobado = montos.loc[ciclo].reindex(claves, fill_value=0.0).to_numpy()
        aprobado *= rng.uniform(0.95, 1.08, n)[:, None]  # columnas: uniformes, útiles
        total = aprobado.sum(axis=1)
        modificado = total * rng.uniform(0.92, 1.08, n) if anio >= 2024 else np.full(n, np.nan)
        referencia = np.where(np.isnan(modificado), total, modificado)
        # Avance (comprobado o ejercido entre modificado o aprobado) según la luz buscada:
        # r = avance / esperado en [0.92, 1.15], [0.72, 0.88], [0.2, 0.65]; sobregiro > 1.
        luz = rng.choice(len(_SEMAFOROS), n, p=list(_SEMAFOROS.values()))
        bajo, alto = np.array([[0.92, 1.15], [0.72, 0.88], [0.2, 0.65], [0, 0], [0, 0]])[luz].T
        avance = (bajo + (alto - bajo) * rng.random(n)) * esperado
        avance = np.select(
            [luz == 0, luz == 3, luz == 4],
            [np.minimum(avance, 0.995), rng.uniform(1.03, 1.2, n), np.nan],
            avance,
        )
        con_comprobado = (rng.random(n) < _P_COMPROBADO[anio]) & (luz < 3)
        comprobado = np.where(con_comprobado, avance * referencia, np.nan)
        holgura = np.minimum(avance * rng.uniform(1.02, 1.15, n), 1.0)  # ejercido > comprobado
        ejercido = np.where(con_comprobado, holgura, avance) * referencia
        parte_u = np.divide(aprobado[:, 0], total, out=np.full(n, 0.5), where=total > 0)
        conceptos = (("Uniformes escolares", parte_u), ("Útiles escolares", 1 - parte_u))
        for j, (concepto, parte) in enumerate(conceptos):
            partes.append(
                pd.DataFrame(
                    {
                        "CICLO": anio,
                        "ID_MUNICIPIO": claves,
                        "CONCEPTO": concepto,
                        "MONTO_APROBADO": aprobado[:, j],
                        "MONTO_MODIFICADO": modificado * parte,
                        "MONTO_EJERCIDO": ejercido * parte,
                        "MONTO_COMPROBADO": comprobado * parte,
                    }
                )
            )
        # Líneas estatales (ID_MUNICIPIO vacío): logística y supervisión.
        apr = total.sum() * np.array([0.03, 0.008])
        mod = apr * rng.uniform(0.95, 1.05, 2) if anio >= 2024 else np.full(2, np.nan)
        eje = np.where(np.isnan(mod), apr, mod) * esperado * rng.uniform(0.93, 0.99, 2)
        estatal = {
            "CICLO": anio,
            "ID_MUNICIPIO": "",
            "MONTO_APROBADO": apr,
            "MONTO_MODIFICADO": mod,
        }
        estatal |= {
            "MONTO_EJERCIDO": eje,
            "MONTO_COMPROBADO": eje * (0.97 if esperado == 1 else np.nan),
        }
        partes.append(
            pd.DataFrame(
                estatal | {"CONCEPTO": ["Distribución y logística", "Supervisión y difusión"]}
            )
        )
        casos[str(anio)] = {
            luz_: sorted(m.estado + claves[luz == k]) for k, luz_ in enumerate(_SEMAFOROS) if k
        }
    df = pd.concat(partes, ignore_index=True)
    df.insert(1, "ID_ENTIDAD_FEDERATIVA", m.estado)
    df.insert(3, "DESC_PP", PROGRAMA)
    for columna in ("MONTO_APROBADO", "MONTO_MODIFICADO", "MONTO_EJERCIDO", "MONTO_COMPROBADO"):
        df[columna] = _pesos(df[columna].to_numpy())
    df["FECHA_CORTE"] = df["CICLO"].map(lambda a: CORTES[a].strftime("%d/%m/%Y"))
    return df, casos


# --------------------------------------------------------------------------------------
# Obra pública (SHCP SRFT, destino del gasto)
# --------------------------------------------------------------------------------------

_OBJETOS = {
    "Educación": (
        "aulas didácticas|sanitarios escolares|techado de plaza cívica escolar|"
        "barda perimetral escolar"
    ),
    "Urbanización": (
        "calle con concreto hidráulico|guarniciones y banquetas|alumbrado público|parque municipal"
    ),
    "Agua y saneamiento": (
        "sistema de agua potable|red de drenaje sanitario|planta de tratamiento de aguas residuales"
    ),
    "Transportes y vialidades": "camino rural|puente vehicular|camino con pavimento asfáltico",
    "Salud": "centro de salud|casa de salud|unidad médica rural",
    "Vivienda": "cuartos dormitorio|techos firmes|pisos firmes",
    "Deporte": "cancha de usos múltiples|unidad deportiva",
    "Electrificación": "red de distribución eléctrica|alumbrado público con energía solar",
}
_P_CATEGORIAS = (0.16, 0.2, 0.18, 0.16, 0.07, 0.09, 0.08, 0.06)
_CLASIFICACIONES = {"Construcción": 0.45, "Rehabilitación": 0.25, "Ampliación": 0.15}
_CLASIFICACIONES |= {"Mantenimiento": 0.1, "Equipamiento": 0.05}
# Orden de gobierno: probabilidad y mediana del monto aprobado (pesos).
_NIVELES_GOBIERNO = {"FEDERAL": (0.15, 25e6), "ESTATAL": (0.3, 6e6), "MUNICIPAL": (0.55, 1.8e6)}
_ADJUDICACION = ("LICITACION PUBLICA", "INVITACION A TRES", "ADJUDICACION DIRECTA")
_EMPRESA_TIPO = (
    "Constructora|Grupo Constructor|Edificaciones|Ingeniería y Proyectos|Desarrollos|"
    "Obras y Caminos|Urbanizadora|Construcciones"
)
_EMPRESA_NOMBRE = (
    "Peña Alta|del Sur|Añil|Cerro Verde|Tres Ríos|Ocotal|Los Álamos|Sabino|Huaje|Jícara|"
    "Piedra Azul|Cañada Honda"
)
_AVANCES_IMPOSIBLES = (3600000.0, 104.5, 110.0, 120.0, 150.0, 250.0, 1000.0, 180.0, 101.0, 360.0)


def _obras(m: Municipios, peso: np.ndarray, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Unas 1,000 obras de los tres órdenes de gobierno, con un renglón por trimestre reportado.

    Los montos acumulados y el avance físico crecen de un trimestre a otro. En el último
    reporte de cada obra se siembran los problemas de los archivos reales, en proporciones
    realistas (ver ``casos`` y la tabla de alertas de INDICADORES.md).
    """
    mun = m.completos.reset_index(drop=True)
    n = N_OBRAS
    i_mun = rng.choice(len(mun), n, p=peso**0.6 / (peso**0.6).sum())
    niveles = list(_NIVELES_GOBIERNO)
    i_nivel = rng.choice(3, n, p=[p for p, _ in _NIVELES_GOBIERNO.values()])
    mediana = np.array([x for _, x in _NIVELES_GOBIERNO.values()])[i_nivel]
    aprobado = np.round(mediana * rng.lognormal(0, 0.8, n), 2)
    categorias = list(_OBJETOS)
    i_cat = rng.choice(len(categorias), n, p=_P_CATEGORIAS)
    opciones = [_OBJETOS[c].split("|") for c in categorias]
    objeto = np.array([rng.choice(opciones[c]) for c in i_cat], dtype=object)
    clasificacion = _de(list(_CLASIFICACIONES), rng.choice(5, n, p=list(_CLASIFICACIONES.values())))

    # Calendario en días desde 2000-01-01: inicio, término estimado y término real.
    corte = _dia(2025, 9, 30)
    inicio = _dia(2023, 7, 1) + rng.integers(0, 700, n)
    futuras = rng.random(n) < 0.03  # registradas, empiezan después del último corte
    inicio[futuras] = corte + rng.integers(1, 90, futuras.sum())
    termino = inicio + rng.integers(90, 450, n) + (i_nivel == 0) * rng.integers(0, 300, n)
    real = termino + rng.integers(-20, 31, n)
    vencibles = np.flatnonzero((termino < corte - 45) & ~futuras)
    retrasadas = rng.choice(vencibles, round(0.06 * n), replace=False)
    real[retrasadas] = corte + rng.integers(60, 400, len(retrasadas))
    libres = np.setdiff1d(np.flatnonzero((inicio < corte - 120) & ~futuras), retrasadas)
    detenidas = rng.choice(libres, round(0.065 * n), replace=False)
    suspendidas, canceladas = detenidas[: round(0.04 * n)], detenidas[round(0.04 * n) :]
    evento = np.full(n, 10**6)  # día de la suspensión o cancelación
    duracion = np.minimum(real[detenidas], corte) - inicio[detenidas]
    evento[detenidas] = inicio[detenidas] + (
        duracion * rng.uniform(0.2, 0.8, len(duracion))
    ).astype(int)

    # Trimestres reportados: desde el registro hasta el último corte (o poco después de terminar).
    fin_trim = np.array([_dia(a, 3 * t, 31 if t in (1, 4) else 30) for a, t in TRIMESTRES])
    q_ini = np.clip(np.searchsorted(fin_trim, inicio - rng.integers(0, 60, n)), 0, 6)
    q_fin = np.full(n, 6)
    terminadas = np.flatnonzero((real <= corte) & ~np.isin(np.arange(n), detenidas))
    q_fin[terminadas] = np.searchsorted(fin_trim, real[terminadas]) + rng.integers(
        0, 2, len(terminadas)
    )
    q_fin[canceladas] = np.searchsorted(fin_trim, evento[canceladas])
    q_fin = np.clip(q_fin, q_ini, 6)
    rep = q_fin - q_ini + 1
    w = np.repeat(np.arange(n), rep)  # renglón -> obra
    ultimo = np.cumsum(rep) - 1
    q = q_ini[w] + np.arange(len(w)) - np.repeat(ultimo - rep + 1, rep)
    t = fin_trim[q]
    transcurrido = np.minimum(t, evento[w]) - inicio[w]
    fraccion = np.clip(transcurrido / np.maximum(real[w] - inicio[w], 1), 0, 1)
    avance = np.round(100 * fraccion ** rng.uniform(0.8, 1.25, n)[w], 1)
    detenida = t >= evento[w]
    condiciones = [
        t < inicio[w],
        detenida & np.isin(w, canceladas),
        detenida & np.isin(w, suspendidas),
        avance >= 100,
    ]
    estatus = np.select(
        condiciones, ["Registrado", "Cancelado", "Suspendido", "Terminado"], "En ejecución"
    )
    estatus = estatus.astype(object)
    # Avance financiero: algo por debajo del físico; en ~30 % de las obras, 14-24 puntos arriba.
    adelanto = (rng.random(n) < 0.3) * rng.uniform(0.14, 0.24, n)
    financiero = avance / 100 * rng.uniform(0.85, 1.0, n)[w] + adelanto[w] * (avance > 0)
    financiero = np.clip(financiero, 0, 1)

    # Problemas sembrados en el último reporte de cada obra, sin repetir obra.
    ult_estatus, ult_avance = estatus[ultimo], avance[ultimo]
    usadas = np.zeros(n, dtype=bool)

    def elegir(condicion: np.ndarray, proporcion: float) -> np.ndarray:
        candidatas = np.flatnonzero(condicion & ~usadas)
        cuantas = min(round(proporcion * n), len(candidatas))
        elegidas = np.sort(rng.choice(candidatas, cuantas, replace=False))
        usadas[elegidas] = True
        return elegidas

    en_ejecucion = ult_estatus == "En ejecución"
    sin_estatus = elegir(ult_estatus == "Terminado", 0.02)
    invalidas = elegir(en_ejecucion & (ult_avance >= 40), 0.01)
    sobrecosto = elegir((en_ejecucion | (ult_estatus == "Terminado")) & (ult_avance >= 90), 0.04)
    pago = elegir(en_ejecucion & (ult_avance >= 5) & (ult_avance <= 60), 0.08)
    duplicadas = elegir(ult_estatus != "Registrado", 0.005)
    estatus[ultimo[sin_estatus]] = "En ejecución"
    avance[ultimo[invalidas]] = np.resize(_AVANCES_IMPOSIBLES, len(invalidas))
    # Sobrecosto de 12 % o más, sin que lo financiero rebase lo físico por más de 25 puntos.
    extra = avance[ultimo[sobrecosto]] / 100 + rng.uniform(0.12, 0.24, len(sobrecosto))
    financiero[ultimo[sobrecosto]] = np.maximum(1.12, extra)
    pagado_de_mas = avance[ultimo[pago]] / 100 + rng.uniform(0.3, 0.55, len(pago))
    financiero[ultimo[pago]] = np.minimum(1.0, pagado_de_mas)
    ejercido = aprobado[w] * financiero
    devengado = ejercido * rng.uniform(1.0, 1.05, n)[w]
    contratado = aprobado[w] * rng.uniform(0.95, 1.0, n)[w] * (estatus != "Registrado")
    comprometido = np.maximum(contratado, devengado)
    pagado = ejercido * rng.uniform(0.9, 1.0, n)[w]

    # Ubicación: ~3 % en el municipio vecino, ~5 % sin coordenadas.
    orden = rng.permutation(n)
    fuera, vacias = orden[: round(0.03 * n)], orden[round(0.03 * n) : round(0.08 * n)]
    destino = mun["cvegeo"].to_numpy()[i_mun]
    destino[fuera] = mun["cvegeo"].to_numpy()[_vecinos(m)[i_mun[fuera]]]
    lon, lat = _puntos_en(m, destino, rng, p_centro=0.6)
    lon[vacias] = lat[vacias] = np.nan

    # Contratistas (unos pocos concentran muchas obras) y adjudicación según el monto.
    empresas, rfc = _contratistas(rng)
    zipf = 1 / np.arange(1, len(empresas) + 1) ** 0.8
    i_emp = rng.choice(len(empresas), n, p=zipf / zipf.sum())
    tramo = np.digitize(aprobado, [1.5e6, 6e6])  # hasta 1.5 M, hasta 6 M, más
    p_adj = np.array([[0.05, 0.2, 0.75], [0.25, 0.55, 0.2], [0.8, 0.12, 0.08]])[tramo]
    i_adj = (rng.random(n)[:, None] > np.cumsum(p_adj, axis=1)).sum(axis=1)
    sin_contrato = futuras | ((i_nivel == 2) & (rng.random(n) < 0.05))  # o por administración

    # Folio: entidad + año y mes de inicio + 6 dígitos, p. ej. OAX2403123456.
    aamm = np.array([f[2:4] + f[5:7] for f in _tabla_fechas()[2][inicio]], dtype=object)
    sufijo = rng.choice(np.arange(100000, 1000000), n, replace=False).astype(str).astype(object)
    folio = _ABREV_ENTIDAD[int(m.estado) - 1] + aamm + sufijo
    municipio = mun["municipio"].to_numpy()[i_mun]
    en_localidad = "la localidad " + _al_azar(_LOCALIDADES, n, rng) + ", " + municipio
    lugar = np.where(rng.random(n) < 0.5, "la cabecera municipal de " + municipio, en_localidad)
    nombre = clasificacion + " de " + objeto + " en " + lugar
    tipo_programa = np.where(rng.random(n) < 0.85, "Proyecto de inversión", "Otros proyectos")

    anio = np.array(TRIMESTRES)[q, 0]
    # Fechas en formato mixto: ISO en la mayoría de los reportes de 2024, dd/mm/aaaa en 2025.
    iso = rng.random(len(w)) < np.where(anio == 2024, 0.85, 0.15)
    _, _, tabla_iso, tabla_mx = _tabla_fechas()
    df = pd.DataFrame(
        {
            "FOLIO": folio[w],
            "CICLO": anio,
            "TRIMESTRE": np.array(TRIMESTRES)[q, 1],
            "ID_ENTIDAD_FEDERATIVA": m.estado,
            "ID_MUNICIPIO_RESPONSABLE": mun["cve_mun"].to_numpy()[i_mun][w],
            "CATEGORIA": _de(categorias, i_cat)[w],
            "TIPO_PROGRAMA_PROYECTO": tipo_programa[w],
            "CLASIFICACION": clasificacion[w],
            "MONTO_GLOBAL_APROBADO": _pesos(aprobado[w]),
            "MONTO_COMPROMETIDO": _pesos(comprometido),
            "MONTO_DEVENGADO": _pesos(devengado),
            "MONTO_EJERCIDO": _pesos(ejercido),
            "MONTO_PAGADO": _pesos(pagado),
            "FECHA_INICIO": np.where(iso, tabla_iso[inicio[w]], tabla_mx[inicio[w]]),
            "FECHA_ESTIMADA_TERMINO": np.where(iso, tabla_iso[termino[w]], tabla_mx[termino[w]]),
            "ESTATUS": estatus,
            "NOMBRE_PROYECTO": nombre[w],
            "NIVEL_GOBIERNO": _de(niveles, i_nivel)[w],
            "AVANCE_FISICO": avance,
            "LATITUD": _decimales(lat)[w],
            "LONGITUD": _decimales(lon)[w],
            "CONTRATISTA": np.where(sin_contrato, "", _de(empresas, i_emp))[w],
            "RFC_CONTRATISTA": np.where(sin_contrato, "", _de(rfc, i_emp))[w],
            "TIPO_ADJUDICACION": np.where(sin_contrato, "", _de(_ADJUDICACION, i_adj))[w],
        }
    )
    # Folio duplicado en un mismo reporte: el último renglón otra vez, con otro monto pagado.
    copia = df.iloc[ultimo[duplicadas]].copy()
    otro_pago = pagado[ultimo[duplicadas]] * rng.uniform(0.5, 0.95, len(duplicadas))
    copia["MONTO_PAGADO"] = _pesos(otro_pago)
    df = pd.concat([df, copia]).sort_index(kind="stable").reset_index(drop=True)
    casos = {
        "avance_invalido": invalidas,
        "folio_duplicado": duplicadas,
        "fuera_de_municipio": fuera,
        "sin_georreferencia": vacias,
        "sobrecosto": sobrecosto,
        "pago_sin_avance": pago,
        "vencida": retrasadas,
        "terminada_sin_estatus": sin_estatus,
    }
    return df, {alerta: sorted(folio[obras]) for alerta, obras in casos.items()}


def _contratistas(rng: np.random.Generator, cuantos: int = 60) -> tuple[list[str], list[str]]:
    """Razones sociales inventadas y su RFC de persona moral (12 caracteres)."""
    combinaciones = [(a, b) for a in _EMPRESA_TIPO.split("|") for b in _EMPRESA_NOMBRE.split("|")]
    alfanumerico = "ABCDEFGHIJKLMNPQRSTUVWXYZ123456789"
    nombres, rfcs = [], []
    for k in rng.choice(len(combinaciones), cuantos, replace=False):
        nombre = " ".join(combinaciones[k])
        sociedad = " S.A. de C.V." if rng.random() < 0.8 else " S. de R.L. de C.V."
        palabras = _sin_acentos(nombre).upper().replace("Ñ", "X").split()
        siglas = "".join(p[0] for p in palabras if p not in ("DE", "DEL", "Y", "LOS"))[:3]
        constitucion = date.fromordinal(date(1995, 1, 1).toordinal() + int(rng.integers(0, 9000)))
        homoclave = "".join(alfanumerico[i] for i in rng.integers(0, len(alfanumerico), 2))
        nombres.append(nombre + sociedad)
        rfcs.append(
            siglas.ljust(3, "X")
            + constitucion.strftime("%y%m%d")
            + homoclave
            + str(rng.integers(0, 10))
        )
    return nombres, rfcs


# --------------------------------------------------------------------------------------
# Estacionamientos para personas con discapacidad
# --------------------------------------------------------------------------------------

_CALLES = (
    "Calle Macedonio Alcalá|Av. Independencia|Calle Morelos|Av. Hidalgo|Calle Reforma|"
    "Calle García Vigil|Calle Porfirio Díaz|Calle Abasolo|Calle Constitución|Calle Murguía|"
    "Calle Allende|Calle Bustamante|Calle Armenta y López|Calle Miguel Cabrera|Calle Xicoténcatl|"
    "Calle Aldama|Calle Las Casas|Calle Trujano|Calle Mina|Calle Zaragoza|Calle Colón|"
    "Calle Tinoco y Palacios|Calle 20 de Noviembre|Av. Juárez|Calzada Madero|"
    "Av. Niños Héroes de Chapultepec|Calle Eduardo Mata"
).split("|")
_COLONIAS = (
    "Centro|Centro|Centro|Reforma|Jalatlaco|Xochimilco|Del Maestro|Volcanes|Estrella|América".split(
        "|"
    )
)
# Estado del cajón: probabilidad y observaciones posibles.
_ESTADOS_CAJON = {
    "bueno": (0.38, "|||Señalización completa"),
    "requiere_rehabilitacion": (
        0.25,
        "Pintura desgastada|Señal vertical dañada|Rampa obstruida|Falta señalización en piso",
    ),
    "en_rehabilitacion": (0.1, "Trabajos de pintura en curso|Se reconstruye la rampa"),
    "rehabilitado": (0.15, "|Pintura y señal nuevas"),
    "propuesto": (
        0.12,
        "Solicitud ciudadana|Propuesto frente a clínica|Propuesto frente a oficina pública",
    ),
}


def _estacionamientos(
    m: Municipios, escuelas: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Cajones en el centro de Oaxaca de Juárez (20067), la capital.

    Es lo único fijo a Oaxaca (compromiso 2 del Plan de Acción); en otra entidad se usa el
    municipio con más escuelas y su punto representativo como centro.
    """
    if m.estado == "20":
        clave, centro = m.estado + "067", (-96.726, 17.061)
    else:
        clave = m.estado + escuelas["INMUEBLE_CV_MUN"].value_counts().sort_index().idxmax()
        centro = tuple(_representativos(m).loc[clave, ["x", "y"]].astype(float))
    n = N_ESTACIONAMIENTOS
    sigma = np.where(rng.random(n) < 0.8, 0.007, 0.018)  # grados: la mayoría a menos de 2 km
    lon, lat = _puntos_en(
        m, np.full(n, clave, dtype=object), rng, centro=centro, sigma=sigma, p_centro=1.0
    )
    k = len(_ESTADOS_CAJON)
    i_estado = rng.choice(k, n, p=[p for p, _ in _ESTADOS_CAJON.values()])
    i_estado[rng.choice(n, k, replace=False)] = np.arange(k)  # que estén todos los estados
    estado = _de(list(_ESTADOS_CAJON), i_estado)
    observaciones = np.array(
        [rng.choice(_ESTADOS_CAJON[e][1].split("|")) for e in estado], dtype=object
    )
    ids = np.char.add("EST-", np.char.zfill(np.arange(1, n + 1).astype(str), 4)).astype(object)
    numero = (rng.integers(1, 130, n) * 2 + rng.integers(0, 2, n)).astype(str).astype(object)
    direccion = _al_azar(_CALLES, n, rng) + " " + numero + ", " + _al_azar(_COLONIAS, n, rng)
    revision = _tabla_fechas()[2][_dia(2025, 1, 15) + rng.integers(0, 245, n)]
    foto = "https://datos.example.org/estacionamientos/" + ids + ".jpg"
    return pd.DataFrame(
        {
            "ID": ids,
            "LATITUD": _decimales(lat),
            "LONGITUD": _decimales(lon),
            "DIRECCION": direccion,
            "CAJONES": rng.choice([1, 2, 3, 4], n, p=[0.75, 0.15, 0.06, 0.04]),
            "ESTADO": estado,
            "FECHA_REVISION": np.where(estado == "propuesto", "", revision),
            "OBSERVACIONES": observaciones,
            "FOTO_URL": np.where(rng.random(n) < 0.12, foto, ""),
        }
    )


# --------------------------------------------------------------------------------------
# Geografía, fechas, formatos y caché
# --------------------------------------------------------------------------------------


def _puntos_en(
    m: Municipios,
    claves: np.ndarray,
    rng: np.random.Generator,
    *,
    centro: tuple[float, float] | None = None,
    sigma: float | np.ndarray | None = None,
    p_centro: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """Puntos (6 decimales) dentro del municipio ``claves[i]``, por muestreo de rechazo.

    Una fracción ``p_centro`` se concentra alrededor del centro (el punto representativo del
    municipio o ``centro``) con dispersión ``sigma`` en grados (por omisión 15 % de la
    extensión del municipio); el resto, uniforme en su rectángulo. Se acepta un punto cuando
    ``m.ubicar`` lo sitúa en su municipio, ya redondeado como se escribe.
    """
    claves = np.asarray(claves, dtype=object)
    n = len(claves)
    limites = m.completos.set_index("cvegeo").bounds.loc[claves].to_numpy()
    if centro is None:
        cx, cy = _representativos(m).loc[claves, ["x", "y"]].to_numpy().T
    else:
        cx, cy = np.full(n, centro[0]), np.full(n, centro[1])
    if sigma is None:
        sx, sy = 0.15 * (limites[:, 2] - limites[:, 0]), 0.15 * (limites[:, 3] - limites[:, 1])
    else:
        sx = sy = np.broadcast_to(np.asarray(sigma, dtype=float), (n,))
    lon, lat = np.full(n, np.nan), np.full(n, np.nan)
    pendientes = np.arange(n)
    for ronda in range(30):
        if len(pendientes) == 0:
            return lon, lat
        # Cada ronda propone más candidatos por punto pendiente (1, 2, 4... hasta 64) y se
        # queda con el primero aceptado: pocas llamadas a ``ubicar`` aun en municipios angostos.
        p = np.repeat(pendientes, min(2**ronda, 64))
        cerca = rng.random(len(p)) < p_centro
        x = np.where(
            cerca,
            cx[p] + sx[p] * rng.normal(size=len(p)),
            rng.uniform(limites[p, 0], limites[p, 2]),
        )
        y = np.where(
            cerca,
            cy[p] + sy[p] * rng.normal(size=len(p)),
            rng.uniform(limites[p, 1], limites[p, 3]),
        )
        x, y = np.round(x, 6), np.round(y, 6)
        aceptados = np.flatnonzero(m.ubicar(x, y) == claves[p])
        _, primero = np.unique(p[aceptados], return_index=True)
        elegidos = aceptados[primero]
        lon[p[elegidos]], lat[p[elegidos]] = x[elegidos], y[elegidos]
        pendientes = pendientes[np.isnan(lon[pendientes])]
    raise RuntimeError(f"no se pudieron ubicar {len(p)} puntos dentro de su municipio")


@cache
def _representativos(m: Municipios) -> pd.DataFrame:
    """Un punto garantizado dentro de cada municipio (``representative_point``), por CVEGEO."""
    puntos = m.completos.geometry.representative_point()
    return pd.DataFrame(
        {"x": puntos.x.to_numpy(), "y": puntos.y.to_numpy()}, index=m.completos["cvegeo"].to_numpy()
    )


@cache
def _vecinos(m: Municipios) -> np.ndarray:
    """Índice del municipio vecino de cada uno: el de centroide más cercano (en metros, LCC)."""
    centroides = m.lcc.geometry.centroid
    xy = np.column_stack([centroides.x.to_numpy(), centroides.y.to_numpy()])
    distancia = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(distancia, np.inf)
    return distancia.argmin(axis=1)


def _dia(anio: int | np.ndarray, mes: int, dia: int) -> np.ndarray:
    """Días desde 2000-01-01 de la fecha ``anio-mes-dia`` (vectorizado sobre ``anio``)."""
    meses = (np.asarray(anio) - 1970).astype("datetime64[Y]").astype("datetime64[M]") + (mes - 1)
    return (meses.astype("datetime64[D]") + (dia - 1) - np.datetime64("2000-01-01")).astype(
        np.int64
    )


@cache
def _tabla_fechas() -> tuple[np.ndarray, pa.Array, np.ndarray, np.ndarray]:
    """Por día desde 2000-01-01 hasta 2029: AAMMDD (bytes), dd/mm/aaaa (Arrow), ISO, dd/mm/aaaa."""
    inicio = date(2000, 1, 1).toordinal()
    dias = [date.fromordinal(k) for k in range(inicio, date(2030, 1, 1).toordinal())]
    aammdd = np.frombuffer(
        "".join(d.strftime("%y%m%d") for d in dias).encode("ascii"), dtype=np.uint8
    )
    mexicana = np.array([d.strftime("%d/%m/%Y") for d in dias], dtype=object)
    iso = np.array([d.isoformat() for d in dias], dtype=object)
    return aammdd.reshape(-1, 6), pa.array(mexicana, type=pa.string()), iso, mexicana


def _pesos(valores: np.ndarray) -> np.ndarray:
    """Montos al estilo ``$1,234,567.89``; vacío cuando no hay dato."""
    return np.array([f"${v:,.2f}" if np.isfinite(v) else "" for v in valores], dtype=object)


def _decimales(valores: np.ndarray) -> np.ndarray:
    """Coordenadas con 6 decimales como texto; vacío cuando no hay dato."""
    return np.array([f"{v:.6f}" if np.isfinite(v) else "" for v in valores], dtype=object)


def _de(valores: list | tuple, indices: np.ndarray) -> np.ndarray:
    """``valores[indices]`` como arreglo de objetos (texto)."""
    return np.array(valores, dtype=object)[indices]


def _al_azar(valores: list | tuple, n: int, rng: np.random.Generator) -> np.ndarray:
    return _de(valores, rng.integers(0, len(valores), n))


def _normalizar(valor: object) -> str:
    """Texto en mayúsculas, sin acentos ni espacios alrededor: ``' Público'`` -> ``'PUBLICO'``."""
    return (
        "".join(
            c for c in unicodedata.normalize("NFKD", str(valor)) if not unicodedata.combining(c)
        )
        .upper()
        .strip()
    )


def _sin_acentos(texto: str) -> str:
    """Quita acentos y diéresis conservando la Ñ."""
    texto = texto.replace("Ñ", "\0").replace("ñ", "\1")
    limpio = "".join(
        c for c in unicodedata.normalize("NFKD", texto) if not unicodedata.combining(c)
    )
    return limpio.replace("\0", "Ñ").replace("\1", "ñ")


def _validar_semilla(semilla: int) -> None:
    if isinstance(semilla, bool) or not isinstance(semilla, (int, np.integer)) or semilla < 0:
        raise ValueError(f"semilla debe ser un entero no negativo; se recibió {semilla!r}")


def _rng(semilla: int, parte: str) -> np.random.Generator:
    """Generador propio de cada parte, derivado de la semilla y del nombre de la parte."""
    return np.random.default_rng([int(semilla), zlib.crc32(parte.encode("utf-8"))])


def _vigente(marca: Path, semilla: int, estado: str, rutas: dict[str, Path]) -> bool:
    """¿``marca`` registra una generación completa con esta semilla, versión y entidad?"""
    try:
        datos = json.loads(marca.read_text(encoding="utf-8"))
        archivos = datos["archivos"]
        return (datos["semilla"], datos["version"], datos["estado"]) == (
            semilla,
            VERSION_GENERADOR,
            estado,
        ) and all(ruta.stat().st_size == archivos[tipo]["bytes"] for tipo, ruta in rutas.items())
    except (OSError, ValueError, KeyError, TypeError):
        return False
