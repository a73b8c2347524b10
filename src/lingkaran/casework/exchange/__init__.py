"""Export and import of the caseload, one module a job: formats (telling them apart), export, anonymise,
spreadsheet (a CSV cell both ways), incoming (lingkaran's own files arriving), csv_cases (a spreadsheet of cases) and
running (an import in one transaction).

The record tables come from the schema (store.tables.record_tables), so a table another part of lingkaran
adds later travels too. Import is one transaction and idempotent by UUID: a record or event already here is
left as it is. Imported events keep their uuid, times, data and content hash and are linked into this file's
hash chain where they land; one `import` event records the import itself (see docs/export-formats.md).
"""
