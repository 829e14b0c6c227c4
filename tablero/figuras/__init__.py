"""Constructores puros de figuras y componentes de las páginas (datos ya leídos -> salida)."""
