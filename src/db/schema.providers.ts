// The providers feature's tables (issue 9). Filled in by its migration.
export interface ProviderTables {}
