"""Tablas de datos (dash-ag-grid) en español y accesibles por omisión, para todas las páginas.

Uso en una página::

    from tablero import tablas

    COLUMNAS = [
        tablas.texto("nombre", "Escuela", minWidth=180),
        tablas.porcentaje("cobertura", "Cobertura"),
    ]
    tablas.conectar_busqueda("escuelas-buscar", "escuelas-tabla")   # al importar

    def layout(**_):
        return html.Div([
            tablas.busqueda("escuelas-buscar", "escuelas-tabla"),
            tablas.tabla("escuelas-tabla", COLUMNAS, filas, descripcion="Escuelas del programa",
                         columnas_telefono=["nombre", "cobertura"]),
        ])

Qué trae cada tabla: textos de la cuadrícula en español (:data:`TEXTOS_ES`), orden por
columna, paginación, una sola parada de Tab (las flechas se mueven dentro; ENTER elige la fila
en las tablas con selección), el orden del DOM igual al visual (lectores de pantalla), texto
seleccionable, columnas que caben en el ancho y, en el teléfono (menos de 600 px), solo las
columnas de ``columnas_telefono``. Los números se mandan como números (se ordenan bien) y se
muestran con formato mexicano; un vacío se lee "sin dato".
"""

from __future__ import annotations

import dash_ag_grid as dag
from dash import clientside_callback, dcc, html
from dash.dependencies import Input, Output, State

from tablero.componentes import campo
from tablero.formato import SIN_DATO

#: Textos de AG Grid en español (``localeText``).
TEXTOS_ES: dict[str, str] = {
    # paginación
    "page": "Página",
    "of": "de",
    "to": "a",
    "more": "más",
    "firstPage": "Primera página",
    "lastPage": "Última página",
    "nextPage": "Página siguiente",
    "previousPage": "Página anterior",
    "pageLastRowUnknown": "?",
    "pageSizeSelectorLabel": "Filas por página:",
    "ariaPageSizeSelectorLabel": "Filas por página",
    # estados
    "loadingOoo": "Cargando…",
    "loadingError": "Error",
    "noRowsToShow": "No hay filas que mostrar",
    "noMatchingRows": "Ninguna fila coincide",
    "exportingOoo": "Exportando…",
    # filtros
    "filterOoo": "Filtrar…",
    "applyFilter": "Aplicar",
    "clearFilter": "Borrar",
    "resetFilter": "Restablecer",
    "cancelFilter": "Cancelar",
    "equals": "Igual a",
    "notEqual": "Distinto de",
    "contains": "Contiene",
    "notContains": "No contiene",
    "startsWith": "Empieza con",
    "endsWith": "Termina con",
    "blank": "Vacío",
    "notBlank": "No vacío",
    "lessThan": "Menor que",
    "greaterThan": "Mayor que",
    "lessThanOrEqual": "Menor o igual que",
    "greaterThanOrEqual": "Mayor o igual que",
    "inRange": "Entre",
    "andCondition": "Y",
    "orCondition": "O",
    "empty": "Elija uno",
    "blanks": "(Vacíos)",
    # lectores de pantalla
    "ariaChecked": "marcada",
    "ariaUnchecked": "sin marcar",
    "ariaIndeterminate": "indeterminada",
    "ariaColumnFiltered": "Columna filtrada",
    "ariaFilterColumn": "Oprima CTRL ENTER para filtrar",
    "ariaFilterInput": "Texto del filtro",
    "ariaFilterValue": "Valor del filtro",
    "ariaFilterFromValue": "Filtrar desde",
    "ariaFilterToValue": "Filtrar hasta",
    "ariaFilteringOperator": "Operador del filtro",
    "ariaLabelColumnFilter": "Filtro de la columna",
    "ariaLabelColumnMenu": "Menú de la columna",
    "ariaMenuColumn": "Oprima ALT FLECHA ABAJO para abrir el menú de la columna",
    "ariaSortableColumn": "Oprima ENTER para ordenar",
    "ariaSortableColumnWithCellSelection": "Oprima ALT ENTER para ordenar",
    "ariaRowSelectAll": "Oprima ESPACIO para elegir todas las filas",
    "ariaRowSelect": "Oprima ESPACIO para elegir esta fila",
    "ariaRowDeselect": "Oprima ESPACIO para quitar esta fila",
    "ariaRowToggleSelection": "Oprima ESPACIO para elegir o quitar la fila",
    "ariaSearch": "Buscar",
    "ariaSkeletonCellLoading": "Cargando la fila",
    "ariaLabelTooltip": "Información",
    # números
    "thousandSeparator": ",",
    "decimalSeparator": ".",
}

#: Opciones de AG Grid de la búsqueda rápida: cada palabra escrita, sin acentos ni mayúsculas,
#: debe aparecer (como parte de palabra) en alguna columna de la fila, también en las que el
#: teléfono oculta ("juchitan" encuentra «Heroica Ciudad de Juchitán de Zaragoza»). Las
#: funciones están en ``assets/tablas.js`` (``dashAgGridFunctions``): dash-ag-grid las
#: resuelve por nombre, sin ``eval`` (la CSP no lo permite).
OPCIONES_BUSQUEDA: dict = {
    "quickFilterParser": {"function": "siguePalabrasBusqueda(params)"},
    "quickFilterMatcher": {"function": "sigueCoincideBusqueda"},
    "cacheQuickFilter": True,
    # en el teléfono se ocultan columnas (``columnas_telefono``): se sigue buscando en todas
    "includeHiddenColumnsInQuickFilter": True,
}

#: Filas por bloque de las tablas por bloques (``cacheBlockSize``; ver :mod:`tablero.paginado`).
FILAS_POR_BLOQUE = 100
#: Bloques que la cuadrícula guarda en el navegador (los más viejos se vuelven a pedir).
BLOQUES_EN_NAVEGADOR = 10

#: Ancho (px) bajo el cual la tabla muestra solo ``columnas_telefono``.
ANCHO_TELEFONO = 600

#: Alto fijo (px) de las filas de una tabla por bloques con texto en varias líneas: hasta
#: tres líneas (``.tabla-datos--bloques`` en ``assets/paginas.css`` corta lo que sobra).
ALTO_FILA_ENVUELTA = 76


def columnas_por_bloques(columnas: list[dict]) -> list[dict]:
    """Las columnas de una tabla por bloques: sin ``autoHeight``.

    El modelo de filas infinito necesita filas de alto fijo (calcula dónde va cada fila
    antes de tenerla) y AG Grid avisa en la consola si una columna pide ``autoHeight``; el
    texto largo (``wrapText``) se envuelve dentro de :data:`ALTO_FILA_ENVUELTA`.
    """
    return [{k: v for k, v in columna.items() if k != "autoHeight"} for columna in columnas]


def tabla(
    id_tabla: str,
    columnas: list[dict],
    filas: list[dict],
    *,
    descripcion: str,
    id_fila: str | None = None,
    seleccion: bool = False,
    filas_por_pagina: int = 10,
    busqueda: str = "",
    columnas_telefono: list[str] | None = None,
    seleccionadas: list[str] | None = None,
    foco_al_elegir: str | None = None,
    por_bloques: bool = False,
    total: int = 0,
    pagina: int | None = None,
) -> html.Div:
    """Una tabla de datos con los valores por omisión del tablero.

    Parameters
    ----------
    id_tabla
        Id del ``AgGrid`` (el de sus propiedades ``rowData``, ``selectedRows``...).
    columnas
        Definiciones de columna (:func:`texto`, :func:`entero`, :func:`pesos`...).
    filas
        ``rowData``: una lista de diccionarios con números como números.
    descripcion
        Nombre accesible de la tabla (lo leen los lectores de pantalla).
    id_fila
        Campo que identifica cada fila (``getRowId``); necesario con ``seleccion``.
    seleccion
        Permite elegir una fila (clic, o ENTER o ESPACIO con el teclado) y la publica en
        ``selectedRows``.
    busqueda
        Texto inicial de la búsqueda rápida (ver :func:`busqueda`).
    columnas_telefono
        Campos que quedan visibles en pantallas de menos de :data:`ANCHO_TELEFONO` px.
    seleccionadas
        Ids (``id_fila``) de las filas elegidas al abrir.
    foco_al_elegir
        Id del elemento que recibe el foco al elegir una fila con el teclado (ENTER o
        ESPACIO), p. ej. el título del formulario que sigue; con el ratón el foco no se mueve.
    por_bloques
        La tabla pide sus filas al servidor por bloques (modelo de filas infinito): ``filas``
        se ignora y un callback de la página responde ``getRowsRequest`` con
        ``getRowsResponse`` (:mod:`tablero.paginado`); la búsqueda rápida la resuelve el
        servidor (:func:`conectar_bloques`). La fila de ``seleccionadas`` se marca cuando
        llega su bloque.
    total
        Con ``por_bloques``: cuántas filas tiene la vista al abrir (la paginación las cuenta
        desde el principio y puede abrir en ``pagina``).
    pagina
        Con ``por_bloques``: página (0, 1, ...) con la que abre la tabla, p. ej. la de la fila
        elegida.
    """
    if seleccion and not id_fila:
        raise ValueError("tabla: 'seleccion' necesita 'id_fila' (el campo que identifica filas)")
    opciones = {
        "localeText": TEXTOS_ES,
        "pagination": True,
        "paginationPageSize": filas_por_pagina,
        # sin selector de filas por página: un control menos (y su lista emergente no tiene
        # el ARIA completo)
        "paginationPageSizeSelector": False,
        "ensureDomOrder": True,
        "enableCellTextSelection": True,
        "suppressDragLeaveHidesColumns": True,
        "domLayout": "autoHeight",
        "animateRows": False,
        # una sola parada de Tab por tabla: Tab y Mayús+Tab salen de la cuadrícula (el
        # navegador sigue con el control siguiente) y las flechas se mueven dentro
        "tabToNextCell": {"function": "sigueTabSaleDeLaTabla(params)"},
        "tabToNextHeader": {"function": "sigueTabSaleDeLaTabla(params)"},
        # búsqueda insensible a acentos, mayúsculas y espacios de más (tablero/assets/tablas.js,
        # la misma clave que capas.busqueda.clave_busqueda); funciones con nombre, sin eval
        **({} if por_bloques else OPCIONES_BUSQUEDA),
        # encabezado con un color simple (Quartz usa color-mix, que axe-core 3 no sabe leer);
        # el mismo fondo suave del tablero: texto #181d1f encima, 15.9:1
        "theme": {"function": "themeQuartz.withParams({headerBackgroundColor: '#f4f1ec'})"},
    }
    if por_bloques:
        columnas = columnas_por_bloques(columnas)
        if any(columna.get("wrapText") for columna in columnas):
            opciones["rowHeight"] = ALTO_FILA_ENVUELTA
        opciones.update(
            cacheBlockSize=FILAS_POR_BLOQUE,
            maxBlocksInCache=BLOQUES_EN_NAVEGADOR,
            # la paginación sabe cuántas páginas hay antes de que llegue el primer bloque
            infiniteInitialRowCount=max(int(total), 1),
            # la fila elegida (``sigueMarcarElegida``) se marca cuando llega su bloque
            context={"elegida": (seleccionadas or [None])[0]},
        )
    else:
        opciones["quickFilterText"] = busqueda or ""
    if seleccion:
        opciones["rowSelection"] = {
            "mode": "singleRow",
            "checkboxes": False,
            "enableClickSelection": True,
        }
    extra = {}
    eventos: dict[str, list[str]] = {}
    if seleccion:
        # ENTER elige la fila con el foco (ESPACIO ya la elige o la quita en AG Grid)
        eventos["cellKeyDown"] = [f"sigueElegirConTeclado(params, {foco_al_elegir or ''!r})"]
    if id_fila:
        extra["getRowId"] = f"params.data[{id_fila!r}]"
    if seleccionadas and not por_bloques:
        extra["selectedRows"] = {"ids": list(seleccionadas)}
    if por_bloques:
        extra["rowModelType"] = "infinite"
        if pagina:
            extra["paginationGoTo"] = int(pagina)
        if seleccion:
            eventos["modelUpdated"] = ["sigueMarcarElegida(params)"]
    else:
        extra["rowData"] = filas
    if columnas_telefono:
        llamada = f"sigueColumnasSegunAncho(params, {list(columnas_telefono)!r}, {ANCHO_TELEFONO})"
        eventos.update(gridSizeChanged=[llamada], firstDataRendered=[llamada])
    if eventos:
        extra["eventListeners"] = eventos
    return html.Div(
        dag.AgGrid(
            id=id_tabla,
            columnDefs=columnas,
            defaultColDef={
                "sortable": True,
                "resizable": True,
                "filter": False,
                "suppressMovable": True,
                "wrapHeaderText": True,
                "autoHeaderHeight": True,
                "minWidth": 72,
                # si una columna activa su filtro de texto: también sin acentos ni mayúsculas
                "filterParams": {"textFormatter": {"function": "sigueClaveBusqueda"}},
            },
            columnSize="responsiveSizeToFit",
            dashGridOptions=opciones,
            className="tabla-datos__cuadricula",
            **extra,
        ),
        className="tabla-datos tabla-datos--bloques" if por_bloques else "tabla-datos",
        role="region",
        **{"aria-label": descripcion},
    )


def busqueda(
    id_busqueda: str,
    valor: str | None = None,
    etiqueta: str = "Buscar en la tabla",
    *,
    espera: float | None = None,
):
    """Campo de búsqueda rápida (busca en todas las columnas de la tabla a la vez).

    Sin distinguir acentos ni mayúsculas (ver :data:`OPCIONES_BUSQUEDA`). ``espera``
    (segundos): el valor se publica cuando se deja de escribir ese tiempo (las tablas por
    bloques buscan en el servidor: no una petición por tecla).
    """
    return campo(
        etiqueta,
        dcc.Input(
            id=id_busqueda,
            # texto con teclado de búsqueda: axe-core 3 no acepta autocomplete (que dcc.Input
            # siempre pone) en type=search
            type="text",
            inputMode="search",
            value=valor or "",
            autoComplete="off",
            debounce=espera if espera else False,
            placeholder="Nombre, clave, municipio…",
            className="campo__control",
        ),
    )


def conectar_busqueda(id_busqueda: str, id_tabla: str) -> None:
    """Registra (al importar la página) el callback del navegador de la búsqueda rápida."""
    clientside_callback(
        """
        function (texto, opciones) {
            return Object.assign({}, opciones, {quickFilterText: texto || ""});
        }
        """,
        Output(id_tabla, "dashGridOptions"),
        Input(id_busqueda, "value"),
        State(id_tabla, "dashGridOptions"),
        prevent_initial_call=True,
    )


def conectar_bloques(id_tabla: str, entradas: list[tuple[str, str]]) -> None:
    """Registra el callback del navegador que vuelve a pedir los bloques de una tabla.

    Cuando cambia una de ``entradas`` (la búsqueda, los filtros de la página), la tabla
    vuelve a la primera página y descarta sus bloques: los siguientes los pide con los
    valores nuevos (el callback del bloque los lee como ``State``).
    """
    clientside_callback(
        f"""
        function () {{
            const api = window.dash_ag_grid && window.dash_ag_grid.getApi({id_tabla!r});
            if (api && !api.isDestroyed()) {{
                api.paginationGoToFirstPage();
                api.purgeInfiniteCache();
            }}
            return window.dash_clientside.no_update;
        }}
        """,
        Output(id_tabla, "id"),
        [Input(*entrada) for entrada in entradas],
        prevent_initial_call=True,
    )


# --- columnas -------------------------------------------------------------------------------


def texto(campo: str, titulo: str, **extra) -> dict:
    """Columna de texto; un vacío se lee "sin dato"."""
    return {
        "field": campo,
        "headerName": titulo,
        "valueFormatter": {"function": f"params.value == null ? '{SIN_DATO}' : params.value"},
        **extra,
    }


def entero(campo: str, titulo: str, **extra) -> dict:
    """Columna de cuentas: ``1,234``."""
    return _numero(campo, titulo, "d3.format(',d')(params.value)", extra)


def pesos(campo: str, titulo: str, **extra) -> dict:
    """Columna de montos en pesos, sin centavos: ``$1,234,568``."""
    return _numero(campo, titulo, "'$' + d3.format(',.0f')(params.value)", extra)


def porcentaje(campo: str, titulo: str, **extra) -> dict:
    """Columna de fracciones mostradas como porcentaje: ``0.873`` -> ``87.3 %``."""
    return _numero(campo, titulo, "d3.format(',.1f')(params.value * 100) + ' %'", extra)


def fecha(campo: str, titulo: str, **extra) -> dict:
    """Columna de fechas ISO (``2025-03-09``, ordenan bien) mostradas como ``09/03/2025``."""
    return {
        "field": campo,
        "headerName": titulo,
        "valueFormatter": {
            "function": f"params.value == null ? '{SIN_DATO}' : "
            "params.value.split('-').reverse().join('/')"
        },
        **extra,
    }


def _numero(campo: str, titulo: str, formato: str, extra: dict) -> dict:
    return {
        "field": campo,
        "headerName": titulo,
        "type": "rightAligned",
        "valueFormatter": {"function": f"params.value == null ? '{SIN_DATO}' : {formato}"},
        **extra,
    }
