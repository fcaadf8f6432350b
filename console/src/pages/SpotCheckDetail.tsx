// One spot check (decision 0042): the seed and rate anyone can re-draw it with, the drawn redemptions in drawn
// order, a result recorded once for each, and for a failed one the way to reverse it.
import { Alert, Button, Card, Col, Descriptions, Form, Input, Radio, Row, Space, Statistic, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, get } from '../api';
import { useSession } from '../auth';
import { ClaimStatus } from '../claims';
import { type Columns, FormDialog, Money, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime, formatRate, toFen } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { OutcomeTag } from '../oversight';
import { regionName } from '../regions';
import { RoleName } from '../Shell';
import type { Program, Redemption, SpotCheck, SpotCheckItem } from '../types';
import { Reverse } from './Redemptions';

/** Records 通过 or 不通过, with the reason, for one drawn redemption: once. */
function RecordResult({ check, item, label, onDone }: { check: SpotCheck; item: SpotCheckItem; label: string; onDone(check: SpotCheck): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ outcome: 'passed' | 'failed'; reason: string }>();
  const submission = useSubmission(form);
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)} aria-label={t(`登记结果 ${label}`, `Record the result of ${label}`)}>
        {t('登记结果', 'Record')}
      </Button>
      <FormDialog
        open={open}
        title={t(`登记抽查结果：${label}`, `Spot check result: ${label}`)}
        okText={t('登记', 'Record')}
        cancelText={t('返回', 'Back')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        name="spotCheckResult"
        initialValues={{ outcome: 'passed' }}
        onFinish={async (values) => {
          const body = { redemptionId: item.redemptionId, outcome: values.outcome, reason: values.reason.trim() };
          const updated = await submission.submit(body, (key) =>
            api<SpotCheck>('POST', `/v1/spot-checks/${encodeURIComponent(check.id)}/results`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          {t('每笔兑付只能登记一次结果，登记后记入账本。', 'A result is recorded once for each redemption, in the ledger.')}
        </Typography.Paragraph>
        <Form.Item label={t('检查结果', 'Outcome')} name="outcome" rules={[{ required: true }]}>
          <Radio.Group
            options={[
              { value: 'passed', label: t('通过', 'Passed') },
              { value: 'failed', label: t('不通过', 'Failed') },
            ]}
          />
        </Form.Item>
        <Form.Item
          label={t('检查说明', 'Reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('请填写检查说明', 'Say what was found') }]}
        >
          <Input.TextArea rows={3} maxLength={500} placeholder={t('如 已核对合同、发票与交付记录', 'e.g. contract, invoice and delivery checked')} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

/** Each drawn redemption as the API answers it, read in small groups (a sample is a few dozen at most). */
async function readRedemptions(ids: string[], signal: AbortSignal): Promise<Record<string, Redemption>> {
  const found: Record<string, Redemption> = {};
  for (let start = 0; start < ids.length; start += 10)
    await Promise.all(
      ids.slice(start, start + 10).map(async (id) => {
        found[id] = await get<Redemption>(`/v1/redemptions/${encodeURIComponent(id)}`, undefined, signal);
      }),
    );
  return found;
}

interface DrawnRow extends SpotCheckItem {
  index: number;
  redemption: Redemption | undefined;
}

export default function SpotCheckDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const check = useLoad((signal) => get<SpotCheck>(`/v1/spot-checks/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const c = check.data;
  const program = useLoad(
    (signal) => (c ? get<Program>(`/v1/programs/${encodeURIComponent(c.programId)}`, undefined, signal) : Promise.resolve(undefined)),
    [c?.programId],
  );
  const redemptions = useLoad(
    (signal) =>
      c
        ? readRedemptions(
            c.items.map((item) => item.redemptionId),
            signal,
          )
        : Promise.resolve(undefined),
    [c?.id],
  );
  if (check.error) return <ProblemAlert problem={check.error} />;
  if (!c) return null;
  const ownIssuer = claims.role === 'issuer' && claims.region === c.region;
  /** Where this role reads the redemption: a claim on its claim page, any other on its voucher's page. */
  const redemptionLink = (redemption: Redemption) =>
    redemption.claim ? `${claims.role === 'issuer' ? '/claim-reviews' : '/redemptions'}/${redemption.id}` : `/vouchers/${redemption.voucherId}`;
  const rows: DrawnRow[] = c.items.map((item, index) => ({ ...item, index: index + 1, redemption: redemptions.data?.[item.redemptionId] }));
  const labelOf = (row: DrawnRow) => row.redemption?.invoiceNumber ?? row.redemptionId;
  const columns: Columns<DrawnRow> = [
    { title: t('序号', 'No.'), dataIndex: 'index', key: 'index', width: 64 },
    {
      title: t('发票号', 'Invoice'),
      key: 'invoice',
      render: (_, row) =>
        row.redemption ? (
          <>
            <Link to={redemptionLink(row.redemption)}>{row.redemption.invoiceNumber}</Link>
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {row.redemptionId}
            </Typography.Text>
          </>
        ) : (
          <Typography.Text code>{row.redemptionId}</Typography.Text>
        ),
    },
    { title: t('服务商', 'Provider'), key: 'provider', render: (_, row) => row.redemption?.providerUscc ?? '—' },
    {
      title: t('执行日期', 'Executed on'),
      key: 'executedOn',
      render: (_, row) => <span style={{ whiteSpace: 'nowrap' }}>{row.redemption?.executedOn ?? '—'}</span>,
    },
    { title: t('执行金额', 'Executed'), key: 'executed', align: 'right', render: (_, row) => <Money value={row.redemption?.executedAmount} /> },
    { title: t('净补贴', 'Net subsidy'), key: 'net', align: 'right', render: (_, row) => <Money value={row.redemption?.netSubsidy} /> },
    {
      title: t('核销状态', 'Status'),
      key: 'status',
      render: (_, row) =>
        row.redemption && (
          <Space orientation="vertical" size={2}>
            {row.redemption.claim ? <ClaimStatus status={row.redemption.status} /> : null}
            <StatusTag status={row.redemption.settlement.status} />
          </Space>
        ),
    },
    {
      title: t('抽查结果', 'Result'),
      key: 'outcome',
      render: (_, row) => (
        <div data-testid="spot-check-outcome">
          <OutcomeTag outcome={row.outcome} />
          {row.reason && <div>{row.reason}</div>}
          {row.recordedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(row.recordedAt)}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: t('操作', 'Action'),
      key: 'action',
      render: (_, row) => {
        if (!row.outcome) return <RecordResult check={c} item={row} label={labelOf(row)} onDone={check.set} />;
        if (row.outcome !== 'failed') return null;
        const r = row.redemption;
        const reversed = r && toFen(r.reversedAmount) > 0n;
        // A failed one is reversed (and what was paid recovered) through the existing routes (decision 0042).
        return (
          <Space orientation="vertical" size={4} data-testid="failed-hint" style={{ maxWidth: 260 }}>
            <Typography.Text type="danger">
              {reversed
                ? t('已冲销部分或全部执行金额。', 'Part or all of it has been reversed.')
                : t('不通过：应冲销该笔兑付，追回补贴。', 'Failed: reverse the redemption to claw the subsidy back.')}
            </Typography.Text>
            {ownIssuer && r && <Reverse redemption={r} onDone={redemptions.reload} />}
            {!ownIssuer && (
              <Typography.Text type="secondary">
                {t('由项目所在地区的发放机构或该服务商办理冲销。', 'An issuer of the program’s region, or the provider, reverses it.')}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(
                '已支付给服务商的补贴在冲销后列为应收回，服务商退回后登记追回。',
                'What was already paid becomes owed back by the provider once reversed; record the recovery when it pays.',
              )}
            </Typography.Text>
            {r && <Link to={`/vouchers/${r.voucherId}`}>{t('查看补贴券及其核销记录', 'The voucher and its redemptions')}</Link>}
          </Space>
        );
      },
    },
  ];
  return (
    <>
      <PageTitle extra={<Link to={`/programs/${c.programId}`}>{t('返回项目', 'Back to the program')}</Link>}>
        {t(`抽查 · ${c.drawnOn}`, `Spot check · ${c.drawnOn}`)}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Row gutter={[16, 16]} data-testid="spot-check-summary" style={{ marginBottom: 12 }}>
          <Col flex="1 1 120px">
            <Statistic title={t('抽取笔数', 'Drawn')} value={c.size} suffix={`/ ${c.population}`} />
          </Col>
          <Col flex="1 1 120px">
            <Statistic title={t('已检查', 'Checked')} value={c.summary.checked} data-testid="spot-check-checked" />
          </Col>
          <Col flex="1 1 120px">
            <Statistic title={t('通过', 'Passed')} value={c.summary.passed} data-testid="spot-check-passed" />
          </Col>
          <Col flex="1 1 120px">
            <Statistic title={t('不通过', 'Failed')} value={c.summary.failed} data-testid="spot-check-failed" />
          </Col>
        </Row>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="spot-check-terms">
          <Descriptions.Item label={t('项目', 'Program')}>
            <Link to={`/programs/${c.programId}`}>{program.data?.name ?? c.programId}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('地区', 'Region')}>{regionName(c.region, language)}</Descriptions.Item>
          <Descriptions.Item label={t('抽查比例', 'Rate')}>
            {formatRate(c.rate)}（{c.rate}）
          </Descriptions.Item>
          <Descriptions.Item label={t('随机种子', 'Seed')}>
            <Typography.Text code copyable data-testid="spot-check-seed">
              {c.seed}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('总体（抽取时已核准的兑付）', 'Population (approved when drawn)')}>{c.population}</Descriptions.Item>
          <Descriptions.Item label={t('抽取人', 'Drawn by')}>
            <RoleName role={c.drawnBy.role} /> {c.drawnBy.sub}
          </Descriptions.Item>
          <Descriptions.Item label={t('抽取日', 'Drawn on')}>{c.drawnOn}</Descriptions.Item>
          <Descriptions.Item label={t('账本序号', 'Ledger seq')}>#{c.ledgerSeq}</Descriptions.Item>
        </Descriptions>
        <Alert
          type="info"
          showIcon
          style={{ marginTop: 12 }}
          title={t('如何复核抽取', 'How to re-draw it')}
          description={t(
            `将项目在抽取时的全部已核准兑付（${c.population} 笔）按“随机种子 + 兑付编号”UTF-8 字节的 SHA-256 小写十六进制值升序排列，取前 ${c.size} 笔（比例 × 总体，四舍五入）。下表按抽取顺序排列。`,
            `Order the program’s ${c.population} redemptions approved when it was drawn by the lowercase hex SHA-256 of the UTF-8 bytes of seed + redemption id, ascending, and take the first ${c.size} (rate × population, rounded half up). The table is in drawn order.`,
          )}
        />
      </Card>
      <Card title={t('抽取的兑付', 'The drawn redemptions')}>
        <ProblemAlert problem={redemptions.error} />
        <Table
          rowKey="redemptionId"
          columns={columns}
          dataSource={rows}
          loading={redemptions.loading}
          pagination={false}
          size="small"
          scroll={{ x: true }}
          data-testid="spot-check-items"
        />
      </Card>
    </>
  );
}
