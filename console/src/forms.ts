import type { FormInstance } from 'antd';
import { useCallback, useRef, useState } from 'react';
import { ApiError, newIdempotencyKey } from './api';

/** "funding[1].ratio" → ['funding', 1, 'ratio']: a problem's field as an antd form name path. */
export function fieldPath(field: string): (string | number)[] {
  return field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export interface Submission {
  submitting: boolean;
  /** A problem that names no field of the form, shown above its buttons. */
  problem: ApiError | null;
  /**
   * Sends once per submission: the Idempotency-Key is generated for these values and kept while they stay the
   * same, so a double click or a retry after a lost answer replays instead of writing twice; a click while a
   * request is in flight is ignored. Problems naming a field of the form are shown under that field.
   */
  submit<R>(values: unknown, send: (idempotencyKey: string) => Promise<R>): Promise<R | undefined>;
  clear(): void;
}

export function useSubmission(form?: FormInstance): Submission {
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<ApiError | null>(null);
  const inFlight = useRef(false);
  const last = useRef<{ values: string; key: string } | null>(null);

  const submit = useCallback(
    async <R>(values: unknown, send: (idempotencyKey: string) => Promise<R>): Promise<R | undefined> => {
      if (inFlight.current) return undefined;
      const json = JSON.stringify(values ?? null);
      if (last.current?.values !== json) last.current = { values: json, key: newIdempotencyKey() };
      inFlight.current = true;
      setSubmitting(true);
      setProblem(null);
      try {
        return await send(last.current.key);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        const registered = new Set(form?.getFieldsError().map((entry) => JSON.stringify(entry.name)) ?? []);
        const named = (err.errors.length ? err.errors : err.field ? [{ field: err.field, message: err.detail }] : []).filter((entry) =>
          registered.has(JSON.stringify(fieldPath(entry.field))),
        );
        if (form && named.length) {
          // Each field's own message, in the language asked for (the API translates errors[].message too).
          form.setFields(named.map((entry) => ({ name: fieldPath(entry.field), errors: [err.errors.length ? entry.message : err.detail] })));
          // A refusal in Chinese keeps its English detail, which names what refused it (the listing, the group, the
          // redemption that used the invoice): shown beside the field's message.
          const namesMore = !err.errors.length && typeof err.body['detailEn'] === 'string' && err.body['detailEn'] !== err.detail;
          if (namesMore || named.length < Math.max(1, err.errors.length)) setProblem(err);
        } else setProblem(err);
        return undefined;
      } finally {
        inFlight.current = false;
        setSubmitting(false);
      }
    },
    [form],
  );
  return { submitting, problem, submit, clear: () => setProblem(null) };
}
