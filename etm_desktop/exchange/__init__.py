"""The exchange workbook (interfaces.md, section 1): import and export, no Qt.

Entry points: :func:`etm_desktop.exchange.importer.import_workbook` and
:func:`etm_desktop.exchange.exporter.export_workbook`; the cell readers live in
:mod:`etm_desktop.exchange.parsing` and the sheet layout in
:mod:`etm_desktop.exchange.sheets`.
"""
