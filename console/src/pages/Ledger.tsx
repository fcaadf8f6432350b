import { Button, Card, DatePicker, Descriptions, Drawer, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { download } from '../api';
import { recomputeEntryHash } from '../canonical';
import { type Columns, Money, PageTitle, ProblemAlert } from '../components';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { ENTRY_TYPES, entryTypeName, filterQuery, type LedgerFilters, type LedgerPage, readLedgerPage } from '../ledger';
import type { LedgerEntry } from '../types';

const PAGE = 50;

function EntryDetail({ entry, onClose }: { entry: LedgerEntry | null; onClose(): void }) {
  const { t } = useI18n();
  const [recomputed, setRecomputed] = useState<string | null>(null);
  useEffect(() => {
    setRecomputed(null);
    if (entry) void recomputeEntryHash(entry as unknown as Record<string, unknown>).then(setRecomputed);
  }, [entry]);
  const matches = entry && recomputed === entry.hash;
  return (
    <Drawer open={!!entry} onClose={onClose} size="large" title={entry ? `#${entry.seq} ${entryTypeName(entry.type, t)} (${entry.type})` : ''}>
      {entry && (
        <Space orientation="vertical" style={{ width: '100%' }} size="middle">
          <div data-testid="hash-check" role="status">
            {recomputed === null ? (
              <Tag>{t('正在本地重新计算哈希…', 'Recomputing the hash here…')}</Tag>
            ) : matches ? (
              <Tag color="green">
                {t(
                  '哈希校验一致：浏览器用 WebCrypto 重新计算的 SHA-256 与账本记录相同',
                  'Hash verified: the SHA-256 recomputed in this browser with WebCrypto matches the ledger',
                )}
              </Tag>
            ) : (
              <Tag color="red">{t('哈希不一致：该条目可能被篡改', 'Hash mismatch: this entry may have been altered')}</Tag>
            )}
          </div>
          <Descriptions bordered size="small" column={1} styles={{ label: { width: 140 }, content: { wordBreak: 'break-all', minWidth: 0 } }}>
            <Descriptions.Item label={t('记账时间（北京时间）', 'Recorded (Beijing time)')}>{formatDateTime(entry.recordedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('操作人', 'Actor')}>
              {entry.actor.sub} · {entry.actor.role} · {entry.actor.region ?? entry.actor.org}
            </Descriptions.Item>
            <Descriptions.Item label="prevHash">
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {entry.prevHash}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="hash">
              <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
                {entry.hash}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('本地重算', 'Recomputed')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }} data-testid="recomputed-hash">
                {recomputed ?? '…'}
              </Typography.Text>
            </Descriptions.Item>
          </Descriptions>
          <Table
            rowKey="index"
            size="small"
            pagination={false}
            dataSource={entry.postings.map((posting, index) => ({ ...posting, index }))}
            columns={[
              { title: t('科目', 'Account'), dataIndex: 'account', key: 'account' },
              { title: t('金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
            ]}
          />
          <Typography.Title level={5}>{t('数据', 'Data')}</Typography.Title>
          <pre style={{ background: '#f6f8fa', padding: 12, overflow: 'auto', maxHeight: 400 }}>{JSON.stringify(entry.data, null, 2)}</pre>
        </Space>
      )}
    </Drawer>
  );
}

interface FilterValues {
  type?: string;
  programId?: string;
  region?: string;
  dates?: [dayjs.Dayjs, dayjs.Dayjs] | null;
}

export default function Ledger() {
  const { t } = useI18n();
  const [filters, setFilters] = useState<LedgerFilters>({});
  // The afterSeq of each page read so far: Previous goes back one, Next reads after the last seq shown.
  const [pages, setPages] = useState<number[]>([0]);
  const [page, setPage] = useState<LedgerPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState<LedgerEntry | null>(null);
  const afterSeq = pages.at(-1)!;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    readLedgerPage(filters, afterSeq, PAGE, controller.signal).then(
      (result) => !controller.signal.aborted && (setPage(result), setLoading(false)),
      (err: unknown) => !controller.signal.aborted && (setError(err), setLoading(false)),
    );
    return () => controller.abort();
  }, [filters, afterSeq]);

  function apply(values: FilterValues) {
    setFilters({
      type: values.type || undefined,
      programId: values.programId?.trim() || undefined,
      region: values.region?.trim() || undefined,
      from: values.dates?.[0]?.format('YYYY-MM-DD'),
      to: values.dates?.[1]?.format('YYYY-MM-DD'),
    });
    setPages([0]);
  }

  const columns: Columns<LedgerEntry> = [
    { title: t('序号', 'Seq'), dataIndex: 'seq', key: 'seq', width: 80 },
    {
      title: t('类型', 'Type'),
      dataIndex: 'type',
      key: 'type',
      render: (type: string) => (
        <span>
          {entryTypeName(type, t)} <Typography.Text type="secondary">{type}</Typography.Text>
        </span>
      ),
    },
    { title: t('记账时间（北京时间）', 'Recorded (Beijing)'), dataIndex: 'recordedAt', key: 'recordedAt', render: (value: string) => formatDateTime(value) },
    { title: t('操作人', 'Actor'), key: 'actor', render: (_, entry) => `${entry.actor.sub} (${entry.actor.region ?? entry.actor.org})` },
    { title: 'hash', dataIndex: 'hash', key: 'hash', render: (hash: string) => <code>{hash.slice(0, 12)}…</code> },
    {
      title: t('操作', 'Action'),
      key: 'open',
      render: (_, entry) => (
        <Button size="small" onClick={() => setOpen(entry)} aria-label={t(`查看条目 ${entry.seq}`, `Open entry ${entry.seq}`)}>
          {t('查看', 'Open')}
        </Button>
      ),
    },
  ];
  const stamp = new Date().toISOString().slice(0, 10);
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <Button
              onClick={() => void download('/v1/ledger/export', { format: 'csv', lang: 'zh', ...filterQuery(filters) }, `ledger-${stamp}.csv`).catch(setError)}
            >
              {t('导出 CSV', 'Download CSV')}
            </Button>
            <Button onClick={() => void download('/v1/ledger/export', { format: 'ndjson', ...filterQuery(filters) }, `ledger-${stamp}.ndjson`).catch(setError)}>
              {t('导出 NDJSON', 'Download NDJSON')}
            </Button>
          </Space>
        }
      >
        {t('账本', 'Ledger')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="inline" onFinish={apply} style={{ rowGap: 12 }}>
          <Form.Item label={t('类型', 'Type')} name="type">
            <Select
              allowClear
              showSearch
              style={{ width: 260 }}
              optionFilterProp="label"
              options={ENTRY_TYPES.map(([type, zh, en]) => ({ value: type, label: `${t(zh, en)} · ${type}` }))}
            />
          </Form.Item>
          <Form.Item label={t('项目编号', 'Program id')} name="programId">
            <Input style={{ width: 220 }} />
          </Form.Item>
          <Form.Item label={t('地区代码', 'Region code')} name="region">
            <Input style={{ width: 110 }} maxLength={6} />
          </Form.Item>
          <Form.Item label={t('记账日期', 'Recorded between')} name="dates">
            <DatePicker.RangePicker />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('筛选', 'Filter')}
          </Button>
        </Form>
      </Card>
      <Card>
        <ProblemAlert problem={error} />
        <Table rowKey="seq" columns={columns} dataSource={page?.entries ?? []} loading={loading} pagination={false} size="small" />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
            {t('上一页', 'Previous')}
          </Button>
          <Button disabled={page?.nextAfterSeq == null} onClick={() => page?.nextAfterSeq != null && setPages([...pages, page.nextAfterSeq])}>
            {t('下一页', 'Next')}
          </Button>
        </Space>
      </Card>
      <EntryDetail entry={open} onClose={() => setOpen(null)} />
    </>
  );
}
