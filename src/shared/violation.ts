/** A business-rule rejection as the pure rules engine reports it; the HTTP layer maps it to a status. */
export interface RuleViolation {
  code: string;
  detail: string;
}

export const isViolation = (value: object): value is RuleViolation => 'code' in value && 'detail' in value;
