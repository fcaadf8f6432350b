// The settlement feature's tables (issue 9). Filled in by its migration.
export interface SettlementTables {}
