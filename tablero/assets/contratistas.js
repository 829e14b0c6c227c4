// Ranking de contratistas de /obras (ver tablero/figuras/contratista.py): las filas «sin
// dato» (obras sin contratista publicado) no son una empresa; quedan al final con cualquier
// orden que elija el usuario.
window.dashAgGridFunctions = window.dashAgGridFunctions || {};

window.dashAgGridFunctions.sigueSinDatoAlFinal = function (params) {
  const nodos = params.nodes;
  const empresas = [];
  const sinDato = [];
  nodos.forEach(function (nodo) {
    (nodo.data && nodo.data.sin_dato ? sinDato : empresas).push(nodo);
  });
  nodos.length = 0;
  empresas.concat(sinDato).forEach(function (nodo) {
    nodos.push(nodo);
  });
};
