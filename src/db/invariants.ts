// Invariants the database enforces on its own (TigerBeetle's "encode invariants in the database"): the
// rules engine should never let one fail, and if it does the write is refused instead of stored.
// Predicates are portable SQL; `col` qualifies a column the way the engine needs (NEW.x in a SQLite trigger).

export interface Invariant {
  name: string;
  check: (col: (name: string) => string) => string;
}

/** The smallest amount a column may hold: −(2^63−1) fen, so that every stored amount negates safely. */
export const MIN_FEN = '-9223372036854775807';

/** `<table>_<column>_in_range`: a 64-bit integer number of fen (SQLite would otherwise store an overflow as REAL). */
export const inRangeName = (table: string, column: string) => `${table}_${column}_in_range`;
export const isRangeInvariant = (name: string) => name.endsWith('_in_range');

/** The in-range invariants of a table's money columns, with the engine's test that a value is an integer. */
export const rangeInvariants = (table: string, money: string[], isInteger: (expr: string) => string): Invariant[] =>
  money.map((column) => ({ name: inRangeName(table, column), check: (c) => `${isInteger(c(column))} AND ${c(column)} >= ${MIN_FEN}` }));

const between = (low: string, high: string) => (value: string) => `${value} >= ${low} AND ${value} <= ${high}`;

/** Per table: its money columns (each gets an in-range invariant) and its own rules. */
export const TABLE_INVARIANTS: { table: string; money: string[]; rules: Invariant[] }[] = [
  {
    table: 'account_balances',
    money: ['balance_fen'],
    // Only appropriations (the funders' side of the books) run negative; programs, vouchers and payables never do.
    rules: [{ name: 'account_balances_non_negative', check: (c) => `${c('account')} LIKE 'appropriation:%' OR ${c('balance_fen')} >= 0` }],
  },
  { table: 'programs', money: ['budget_fen'], rules: [{ name: 'programs_budget_positive', check: (c) => `${c('budget_fen')} > 0` }] },
  { table: 'vouchers', money: ['amount_fen'], rules: [{ name: 'vouchers_amount_positive', check: (c) => `${c('amount_fen')} > 0` }] },
  {
    table: 'contracts',
    money: ['amount_fen', 'net_executed_fen', 'net_subsidy_fen'],
    rules: [
      { name: 'contracts_net_executed_within_amount', check: (c) => between('0', c('amount_fen'))(c('net_executed_fen')) },
      { name: 'contracts_net_subsidy_non_negative', check: (c) => `${c('net_subsidy_fen')} >= 0` },
    ],
  },
  {
    table: 'redemptions',
    money: ['executed_amount_fen', 'entitlement_fen', 'subsidy_fen', 'reversed_amount_fen', 'clawed_back_fen'],
    rules: [
      { name: 'redemptions_subsidy_within_entitlement', check: (c) => between('0', c('entitlement_fen'))(c('subsidy_fen')) },
      { name: 'redemptions_reversed_within_executed', check: (c) => between('0', c('executed_amount_fen'))(c('reversed_amount_fen')) },
      // A reversal may claw back more than its own redemption's pro-rata share (the contract's rounding excess,
      // decision 0012); what is bounded is the contract's net subsidy, never below zero.
      { name: 'redemptions_clawed_back_non_negative', check: (c) => `${c('clawed_back_fen')} >= 0` },
    ],
  },
  {
    table: 'reversals',
    money: ['executed_amount_fen', 'clawback_fen'],
    rules: [{ name: 'reversals_amounts_non_negative', check: (c) => `${c('executed_amount_fen')} > 0 AND ${c('clawback_fen')} >= 0` }],
  },
  { table: 'annual_usage', money: ['granted_fen'], rules: [{ name: 'annual_usage_granted_non_negative', check: (c) => `${c('granted_fen')} >= 0` }] },
  { table: 'ledger_postings', money: ['amount_fen'], rules: [] },
  { table: 'ledger_head', money: ['seq'], rules: [{ name: 'ledger_head_one_row', check: (c) => `${c('id')} = 1 AND ${c('seq')} >= 0` }] },
];
