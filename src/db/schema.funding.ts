// The funding feature's tables (issue 9). Filled in by its migration.
export interface FundingTables {}
