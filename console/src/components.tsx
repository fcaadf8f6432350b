import { Alert, Button, Form, type FormInstance, type FormProps, Modal, Space, Table, type TableProps, Tag, Typography } from 'antd';
import { type DependencyList, type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError, get, type Page } from './api';
import { formatYuan } from './format';
import { useI18n } from './i18n';

/** An amount: ¥, thousands separators, two decimals, tabular figures, right-aligned. */
export function Money({ value, strong }: { value: string | null | undefined; strong?: boolean }) {
  const text = formatYuan(value);
  return (
    <span className="money" style={{ display: 'block', textAlign: 'right', fontVariantNumeric: 'tabular-nums', fontWeight: strong ? 600 : undefined }}>
      {text}
    </span>
  );
}

/** A table column of amounts. */
export function moneyColumn<T>(title: string, key: keyof T & string): NonNullable<TableProps<T>['columns']>[number] {
  return { title, dataIndex: key, key, align: 'right', render: (value: string) => <Money value={value} /> };
}

export function ProblemAlert({ problem, onClose }: { problem: unknown; onClose?: () => void }) {
  const { t } = useI18n();
  if (!problem) return null;
  const error = problem instanceof ApiError ? problem : null;
  const detail = error ? error.detail : String(problem);
  // A problem in Chinese carries the English detail too, which names the figures (what is available, the cap).
  const english = error && typeof error.body['detailEn'] === 'string' && error.body['detailEn'] !== detail ? error.body['detailEn'] : null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      closable={onClose ? { onClose } : false}
      title={error ? `${t('请求被拒绝', 'Refused')} · ${error.code}` : t('出错了', 'Error')}
      description={
        english ? (
          <>
            {detail}
            <div style={{ marginTop: 4, color: 'rgba(0,0,0,0.55)' }} lang="en">
              {english}
            </div>
          </>
        ) : (
          detail
        )
      }
      style={{ marginBottom: 16 }}
    />
  );
}

export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', marginBottom: 16 }}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {children}
      </Typography.Title>
      {extra}
    </div>
  );
}

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
  set(data: T): void;
}

/** Loads once per change of `deps`; reload() loads again. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState({ error, loading: false }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return {
    data: state.data,
    error: state.error,
    loading: state.loading,
    reload: useCallback(() => setRound((n) => n + 1), []),
    set: useCallback((data: T) => setState({ data, loading: false }), []),
  };
}

/** A cursor-paginated list (`{items, nextCursor}`), one page at a time with "load more". */
export function usePaged<T>(path: string, query: Record<string, string | undefined>, deps: DependencyList) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const fetchPage = useCallback(
    async (after: string | null, replace: boolean) => {
      setLoading(true);
      setError(null);
      try {
        const page = await get<Page<T>>(path, { ...query, limit: 50, cursor: after ?? undefined });
        setItems((previous) => (replace ? page.items : [...previous, ...page.items]));
        setCursor(page.nextCursor);
      } catch (err) {
        setError(err);
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [path, JSON.stringify(query)],
  );
  useEffect(() => {
    void fetchPage(null, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fetchPage, round, ...deps]);
  return { items, error, loading, more: cursor ? () => void fetchPage(cursor, false) : undefined, reload: () => setRound((n) => n + 1) };
}

export function LoadMore({ more, loading }: { more: (() => void) | undefined; loading: boolean }) {
  const { t } = useI18n();
  if (!more) return null;
  return (
    <Space style={{ marginTop: 12 }}>
      <Button onClick={more} loading={loading}>
        {t('加载更多', 'Load more')}
      </Button>
    </Space>
  );
}

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const names: Record<string, [string, string, string]> = {
    active: ['有效', 'active', 'green'],
    revoked: ['已撤销', 'revoked', 'red'],
    expired: ['已过期', 'expired', 'default'],
    suspended: ['已暂停', 'suspended', 'orange'],
    draft: ['草稿', 'draft', 'default'],
    approved: ['已审批', 'approved', 'blue'],
    partially_paid: ['部分支付', 'partially paid', 'cyan'],
    paid: ['已支付', 'paid', 'green'],
    cancelled: ['已取消', 'cancelled', 'default'],
    pending: ['待支付', 'pending', 'gold'],
    failed: ['支付失败', 'failed', 'red'],
    unpaid: ['未支付', 'unpaid', 'gold'],
    in_batch: ['批次中', 'in a batch', 'blue'],
    confirmed: ['已确认', 'confirmed', 'green'],
  };
  const name = names[status];
  return <Tag color={name?.[2]}>{name ? t(name[0], name[1]) : status}</Tag>;
}

export const KIND_OPTIONS = (t: (zh: string, en: string) => string) => [
  { value: 'compute', label: t('算力券', 'Compute') },
  { value: 'corpus', label: t('语料券', 'Corpus') },
  { value: 'model', label: t('模型券', 'Model') },
];

export function kindName(kind: string, t: (zh: string, en: string) => string): string {
  return KIND_OPTIONS(t).find((option) => option.value === kind)?.label ?? kind;
}

/** A policy bucket in words ("compute.non_autonomous" → 算力券（非自主可控）), the code kept for unknown ones. */
export function bucketName(bucket: string, t: (zh: string, en: string) => string): string {
  const names: Record<string, string> = {
    'compute.autonomous': t('算力券（自主可控）', 'Compute (autonomous)'),
    'compute.non_autonomous': t('算力券（非自主可控）', 'Compute (non-autonomous)'),
    corpus: t('语料券', 'Corpus'),
    model: t('模型券', 'Model'),
  };
  return names[bucket] ?? bucket;
}

/**
 * A form in a dialog: OK submits the form (its own rules first), Cancel or Escape closes it, and it is built
 * afresh each time it opens. The form's submit handler closes it when the write succeeded.
 */
export function FormDialog({
  open,
  onClose,
  form,
  submitting,
  title,
  okText,
  cancelText,
  danger,
  width,
  children,
  ...formProps
}: {
  open: boolean;
  onClose(): void;
  form: FormInstance;
  submitting: boolean;
  title: ReactNode;
  okText: string;
  cancelText?: string;
  danger?: boolean;
  width?: number;
  children: ReactNode;
} & Omit<FormProps, 'form' | 'layout' | 'children'>) {
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={cancelText}
      okButtonProps={{ danger: danger ?? false }}
      width={width}
      confirmLoading={submitting}
      onCancel={onClose}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" {...formProps}>
        {children}
      </Form>
    </Modal>
  );
}

export type Columns<T> = NonNullable<TableProps<T>['columns']>;
export { Table };

/** Decimal yuan with at most two decimals, as the API takes it. */
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
