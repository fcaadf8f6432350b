import { Button, Card, Col, Descriptions, Form, Input, Row, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, get } from '../api';
import { Money, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatDateTime, formatYuan, toFen } from '../format';
import { useI18n } from '../i18n';
import { ENTRY_TYPES, entryTypeName } from '../ledger';
import type { Checkpoint, Program, ProgramBalances } from '../types';

const breakAll = { wordBreak: 'break-all' } as const;

/** The public log (decision 0045): its checkpoint and key, which anyone reads and checks without an account. */
function PublicLogCard() {
  const { t } = useI18n();
  const key = useLoad((signal) => api<{ verifierKey: string; origin: string; kid: string }>('GET', '/v1/public/log-key', { anonymous: true, signal }), []);
  return (
    <Card title={t('公开日志', 'Public log')} style={{ marginBottom: 16 }} data-testid="public-log">
      <Typography.Paragraph type="secondary">
        {t(
          '任何人无需账号即可读取公开检查点，并用下方日志公钥核验其签名，再用公开的包含证明和一致性证明核对账本（不含任何分录内容）。',
          'Anyone can read the public checkpoint without an account, check its signature with the log key below, and check the ledger with the public inclusion and consistency proofs (no entry’s content is public).',
        )}
      </Typography.Paragraph>
      <Descriptions bordered size="small" column={1} styles={{ label: { width: 200 } }}>
        <Descriptions.Item label={t('公开检查点', 'Public checkpoint')}>
          <a href="/v1/public/checkpoint" target="_blank" rel="noreferrer" data-testid="public-checkpoint-link">
            {t('查看公开检查点（/v1/public/checkpoint）', 'See the public checkpoint (/v1/public/checkpoint)')}
          </a>
        </Descriptions.Item>
        <Descriptions.Item label={t('日志公钥', 'Log key')}>
          {key.data ? (
            <Typography.Text code copyable={{ text: key.data.verifierKey }} style={breakAll} data-testid="public-log-key">
              {key.data.verifierKey}
            </Typography.Text>
          ) : (
            <ProblemAlert problem={key.error} />
          )}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function CheckpointCard() {
  const { t } = useI18n();
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  async function issue() {
    setLoading(true);
    setError(null);
    try {
      setCheckpoint(await get<Checkpoint>('/v1/ledger/checkpoint'));
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  const c = checkpoint?.checkpoint;
  return (
    <Card title={t('当前检查点', 'Current checkpoint')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        {t(
          '检查点由服务器用 Ed25519 签名账本当前的头部；请将其与公钥（/.well-known/jwks.json）保存在运营方无法触及的地方。',
          'The server signs the ledger’s head with Ed25519; keep it, with the public key (/.well-known/jwks.json), out of the operator’s reach.',
        )}
      </Typography.Paragraph>
      <ProblemAlert problem={error} />
      <Button onClick={() => void issue()} loading={loading}>
        {t('签发并读取检查点', 'Issue and read the checkpoint')}
      </Button>
      {checkpoint && c && (
        <Descriptions bordered size="small" column={1} style={{ marginTop: 16 }} styles={{ label: { width: 200 } }} data-testid="checkpoint">
          <Descriptions.Item label={t('账本', 'Ledger')}>
            <span data-testid="checkpoint-ledger-id">{c.ledgerId}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('序号（账本头部）', 'Seq (the ledger head)')}>
            <span data-testid="checkpoint-seq">{c.seq}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('头部哈希', 'Head hash')}>
            <Typography.Text code copyable={{ text: c.hash }} style={breakAll} data-testid="checkpoint-hash">
              {c.hash}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('签发时间', 'Issued')}>{formatDateTime(c.issuedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('默克尔树大小（条目数）', 'Merkle tree size (entries)')}>
            <span data-testid="checkpoint-tree-size">{c.treeSize ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('默克尔树根哈希', 'Merkle root hash')}>
            {c.rootHash ? (
              <Typography.Text code copyable={{ text: c.rootHash }} style={breakAll} data-testid="checkpoint-root-hash">
                {c.rootHash}
              </Typography.Text>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('签名便笺（C2SP 检查点）', 'Signed note (C2SP checkpoint)')}>
            {checkpoint.note ? (
              <Typography.Paragraph copyable={{ text: checkpoint.note }} style={{ margin: 0 }}>
                <pre data-testid="checkpoint-note" style={{ margin: 0, whiteSpace: 'pre-wrap', ...breakAll, fontSize: 12 }}>
                  {checkpoint.note}
                </pre>
              </Typography.Paragraph>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          {checkpoint.verifierKey && (
            <Descriptions.Item label={t('便笺验证公钥', 'Note verifier key')}>
              <Typography.Text code copyable={{ text: checkpoint.verifierKey }} style={breakAll} data-testid="checkpoint-verifier-key">
                {checkpoint.verifierKey}
              </Typography.Text>
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('密钥标识（kid）', 'Key id (kid)')}>{checkpoint.kid}</Descriptions.Item>
          <Descriptions.Item label={t('JWS 签名', 'JWS')}>
            <Typography.Text code copyable={{ text: checkpoint.jws }} style={breakAll} data-testid="checkpoint-jws">
              {checkpoint.jws}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

/** Entry counts in the order money moves through a program (funding, vouchers, redemptions, payments); unknown types last. */
const byLifecycle = (counts: ProgramBalances['entryCounts']) => {
  const order = ENTRY_TYPES.map(([type]) => type);
  const rank = (type: string) => (order.includes(type) ? order.indexOf(type) : order.length);
  return [...counts].sort((a, b) => rank(a.type) - rank(b.type) || a.type.localeCompare(b.type));
};

const BALANCE_ITEMS = [
  { key: 'funded', zh: '已到位资金', en: 'Funded' },
  { key: 'available', zh: '可用（未发券）', en: 'Available (not on vouchers)' },
  { key: 'onVouchers', zh: '补贴券余额', en: 'On vouchers' },
  { key: 'reserved', zh: '核销审核中预留', en: 'Reserved for claims' },
  { key: 'owedToProviders', zh: '应付服务商（未支付）', en: 'Owed to providers (unpaid)' },
  { key: 'paid', zh: '已支付服务商', en: 'Paid to providers' },
] as const;

/** A program's position, as the server sums it from the ledger: the six balances now, by day, and its entries by type. */
function ProgramSummary() {
  const { t } = useI18n();
  const [summary, setSummary] = useState<{ program: Program; balances: ProgramBalances } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  async function load({ programId }: { programId: string }) {
    const id = encodeURIComponent(programId.trim());
    setLoading(true);
    setError(null);
    try {
      const [program, balances] = await Promise.all([get<Program>(`/v1/programs/${id}`), get<ProgramBalances>(`/v1/programs/${id}/balances`)]);
      setSummary({ program, balances });
    } catch (err) {
      setSummary(null);
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  const current = summary?.balances.current;
  // The identity the server's figures must satisfy, checked here in fen: funded = the five places the money is.
  const balanced = current
    ? toFen(current.funded) ===
      toFen(current.available) + toFen(current.onVouchers) + toFen(current.reserved) + toFen(current.owedToProviders) + toFen(current.paid)
    : false;
  const entries = summary?.balances.entryCounts.reduce((sum, row) => sum + row.count, 0) ?? 0;
  return (
    <Card title={t('项目汇总', 'Program summary')}>
      <Form layout="inline" onFinish={load} style={{ marginBottom: 16 }}>
        <Form.Item label={t('项目编号', 'Program id')} name="programId" rules={[{ required: true }]}>
          <Input style={{ width: 320 }} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={loading}>
          {t('汇总', 'Summarise')}
        </Button>
      </Form>
      <ProblemAlert problem={error} />
      {summary && current && (
        <Row gutter={[16, 16]} data-testid="program-summary">
          <Col span={24}>
            <Typography.Paragraph>
              {summary.program.name} · {t('预算', 'budget')} {formatYuan(summary.program.budget)} ·{' '}
              {t(
                `共 ${entries} 条账本条目，截至账本序号 ${summary.balances.throughSeq}`,
                `${entries} ledger entries, through seq ${summary.balances.throughSeq}`,
              )}
            </Typography.Paragraph>
          </Col>
          <Col xs={24} md={12}>
            <Descriptions bordered size="small" column={1} title={t('当前资金分布', 'Where the money is now')}>
              {BALANCE_ITEMS.map((item) => (
                <Descriptions.Item key={item.key} label={t(item.zh, item.en)}>
                  <span data-testid={`balance-${item.key}`}>
                    <Money value={current[item.key]} strong={item.key === 'funded'} />
                  </span>
                </Descriptions.Item>
              ))}
            </Descriptions>
            <Typography.Paragraph type={balanced ? 'success' : 'danger'} style={{ marginTop: 8 }} data-testid="balance-check">
              {balanced
                ? t(
                    '核对相符：已到位资金 = 可用 + 补贴券余额 + 核销审核中预留 + 应付服务商 + 已支付服务商',
                    'Balanced: funded = available + on vouchers + reserved for claims + owed to providers + paid',
                  )
                : t(
                    '核对不符：已到位资金 ≠ 可用 + 补贴券余额 + 核销审核中预留 + 应付服务商 + 已支付服务商',
                    'Not balanced: funded ≠ available + on vouchers + reserved for claims + owed to providers + paid',
                  )}
            </Typography.Paragraph>
          </Col>
          <Col xs={24} md={12}>
            <Table
              data-testid="entry-counts"
              rowKey="type"
              size="small"
              pagination={false}
              title={() => <Typography.Text strong>{t('账本条目（按类型）', 'Ledger entries by type')}</Typography.Text>}
              dataSource={byLifecycle(summary.balances.entryCounts)}
              columns={[
                { title: t('类型', 'Type'), dataIndex: 'type', key: 'name', render: (type: string) => entryTypeName(type, t) },
                { title: t('类型代码', 'Type code'), dataIndex: 'type', key: 'type', render: (type: string) => <Typography.Text code>{type}</Typography.Text> },
                { title: t('条数', 'Count'), dataIndex: 'count', key: 'count', align: 'right' },
              ]}
            />
          </Col>
          <Col span={24}>
            <Table
              data-testid="daily-balances"
              rowKey="date"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              title={() => <Typography.Text strong>{t('逐日资金分布（上海时间，每日日终）', 'Day by day (end of each Asia/Shanghai day)')}</Typography.Text>}
              dataSource={summary.balances.daily}
              columns={[
                { title: t('日期', 'Date'), dataIndex: 'date', key: 'date' },
                ...BALANCE_ITEMS.map((item) => ({
                  title: t(item.zh, item.en),
                  dataIndex: item.key,
                  key: item.key,
                  align: 'right' as const,
                  render: (value: string) => <Money value={value} />,
                })),
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

export default function Audit() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('导出与检查点', 'Exports and checkpoint')}</PageTitle>
      <PublicLogCard />
      <CheckpointCard />
      <ProgramSummary />
    </>
  );
}
