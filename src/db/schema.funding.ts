// The funding feature's tables (decision 0017): who co-funds a program, in which ratio, and how much of each
// funder's share is confirmed (appropriated into the program) or still pending the funder's confirmation.

/** One funder of a program, in the order the program listed it (ties of the largest-remainder rule go to the first). */
export interface ProgramFunderTable {
  program_id: string;
  /** 0, 1, …: the funder's place in the program's `funding` list. */
  position: bigint;
  region: string;
  /** A decimal string with at most 4 decimals, > 0; a program's ratios sum to exactly 1. */
  ratio: string;
  /** Money of this funder appropriated into the program and not returned (net of budget decreases). */
  confirmed_fen: bigint;
  /** This funder's share of the budget awaiting its confirmation (creation and increases, less decreases). */
  pending_fen: bigint;
}

export interface FundingTables {
  program_funders: ProgramFunderTable;
}
