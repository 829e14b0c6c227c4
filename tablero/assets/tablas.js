// Funciones de las tablas (dash-ag-grid) del tablero: ver tablero/tablas.py.
window.dashAgGridFunctions = window.dashAgGridFunctions || {};

// En pantallas angostas deja visibles solo las columnas `visibles` y ajusta los anchos, para
// que la tabla quepa en el teléfono sin desplazarse a los lados.
//
// "Angosta" se decide con una consulta de medios (`max-width`), no con `window.innerWidth`:
// en un teléfono (viewport móvil) `innerWidth` es el ancho del viewport *visual*, que crece
// cuando algo de la página es más ancho que la pantalla (p. ej. la tabla todavía con todas sus
// columnas justo después de girar o achicar la ventana); entonces la tabla se creía ancha y no
// ocultaba nada. La consulta de medios mira el viewport de diseño (`width=device-width`).
// (Medido: con la ficha de una obra abierta, al pasar de 1280 a 375 px `gridSizeChanged`
// llegó con innerWidth 1114 y clientWidth 375, y no volvió a llegar cuando innerWidth bajó.)
// Además de `gridSizeChanged`, cada tabla escucha el cambio de la consulta de medios y vuelve
// a aplicar sus columnas.
window.dashAgGridFunctions.sigueColumnasSegunAncho = (function () {
  const vigiladas = new WeakSet();

  function consulta(ancho) {
    // angosta = ancho del viewport < `ancho` px (así se usa ANCHO_TELEFONO en el servidor)
    return window.matchMedia("(max-width: " + (ancho - 0.02) + "px)");
  }

  function vigilar(api, visibles, ancho) {
    if (vigiladas.has(api)) return;
    vigiladas.add(api);
    const medios = consulta(ancho);
    const alCambiar = function () {
      if (api.isDestroyed()) {
        medios.removeEventListener("change", alCambiar);
        return;
      }
      aplicar(api, visibles, ancho);
    };
    medios.addEventListener("change", alCambiar);
    api.addEventListener("gridPreDestroyed", function () {
      medios.removeEventListener("change", alCambiar);
    });
  }

  function aplicar(api, visibles, ancho) {
    const angosta = consulta(ancho).matches;
    const mostrar = [];
    const ocultar = [];
    api.getColumns().forEach(function (columna) {
      const id = columna.getColId();
      const quiere = !angosta || visibles.indexOf(id) >= 0;
      if (quiere !== columna.isVisible()) (quiere ? mostrar : ocultar).push(id);
    });
    if (!mostrar.length && !ocultar.length) return;
    if (mostrar.length) api.setColumnsVisible(mostrar, true);
    if (ocultar.length) api.setColumnsVisible(ocultar, false);
    // El alto automático del encabezado cuenta también las columnas ocultas (sus títulos
    // largos, apretados): en el teléfono el encabezado usa el alto fijo (dos renglones).
    const columnas = api.getGridOption("defaultColDef") || {};
    if (columnas.autoHeaderHeight === angosta) {
      api.setGridOption("defaultColDef", Object.assign({}, columnas, {autoHeaderHeight: !angosta}));
    }
    api.sizeColumnsToFit();
    // y el contenedor del encabezado no se vuelve a medir solo: se le fija un alto y se suelta
    api.setGridOption("headerHeight", 48);
    api.setGridOption("headerHeight", undefined);
  }

  return function (params, visibles, ancho) {
    const api = params.api;
    if (!api || api.isDestroyed()) return;
    vigilar(api, visibles, ancho);
    aplicar(api, visibles, ancho);
  };
})();

// Una sola parada de Tab por tabla (``tabToNextCell`` y ``tabToNextHeader``): ``false`` deja
// que el navegador lleve el foco al control siguiente (o al anterior con Mayús+Tab) en vez de
// recorrer celda por celda; dentro de la tabla se mueve con las flechas.
window.dashAgGridFunctions.sigueTabSaleDeLaTabla = function () {
  return false;
};

// ENTER elige la fila con el foco (ESPACIO la elige o la quita, como AG Grid por omisión).
// Elegida con el teclado, el foco pasa al elemento `idFoco` (p. ej. el título del formulario
// que sigue a la tabla), para no tener que recorrer el resto de la página.
window.dashAgGridFunctions.sigueElegirConTeclado = function (params, idFoco) {
  const evento = params.event;
  const fila = params.node;
  if (!evento || !fila || evento.key === undefined) return;
  if (evento.key !== "Enter" && evento.key !== " ") return;
  if (evento.key === "Enter") fila.setSelected(true, true);
  // AG Grid procesa ESPACIO después de este evento: se mira la fila cuando ya terminó
  window.setTimeout(function () {
    if (!idFoco || !fila.isSelected()) return;
    const destino = document.getElementById(idFoco);
    if (destino) destino.focus();
  }, 0);
};

// Búsqueda rápida insensible a acentos, mayúsculas y espacios de más (como
// capas/busqueda.py::clave_busqueda): "juchitan" encuentra «Juchitán», "pena" a «Peña».
// AG Grid pasa el texto en mayúsculas; la clave lo deja en minúsculas y sin diacríticos.
window.dashAgGridFunctions.sigueClaveBusqueda = function (texto) {
  if (texto === null || texto === undefined) return "";
  return String(texto)
    .normalize("NFD")
    .toLowerCase()
    .replace(/\p{M}/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
};

// quickFilterParser: las palabras buscadas, cada una ya como clave.
window.dashAgGridFunctions.siguePalabrasBusqueda = function (texto) {
  const clave = window.dashAgGridFunctions.sigueClaveBusqueda(texto);
  return clave ? clave.split(" ") : [];
};

// quickFilterMatcher: la fila pasa si cada palabra aparece en el texto de alguna columna
// (como parte de palabra). El texto de la fila se pasa a clave una vez y se recuerda.
window.dashAgGridFunctions.sigueCoincideBusqueda = (function () {
  const claves = new Map();
  return function (palabras, textoFila) {
    let clave = claves.get(textoFila);
    if (clave === undefined) {
      if (claves.size > 50000) claves.clear();
      clave = window.dashAgGridFunctions.sigueClaveBusqueda(textoFila);
      claves.set(textoFila, clave);
    }
    return palabras.every(function (palabra) {
      return clave.indexOf(palabra) >= 0;
    });
  };
})();

// Tablas por bloques (modelo infinito): la fila elegida al abrir (``context.elegida``) se
// marca cuando llega su bloque, una sola vez (después manda lo que la persona elija).
window.dashAgGridFunctions.sigueMarcarElegida = function (params) {
  const api = params.api;
  if (!api || api.isDestroyed()) return;
  const contexto = api.getGridOption("context");
  if (!contexto || !contexto.elegida || contexto.marcada) return;
  const fila = api.getRowNode(contexto.elegida);
  if (!fila || !fila.data) return;
  contexto.marcada = true;
  fila.setSelected(true, true);
};
