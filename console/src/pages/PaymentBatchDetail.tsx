import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Space, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, download, get } from '../api';
import { useSession } from '../auth';
import { type Columns, FormDialog, Money, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime, formatYuan, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { type Translate, useI18n } from '../i18n';
import { regionName } from '../regions';
import type { BatchLine, PaymentBatch, Reconciliation } from '../types';

interface StatementOutcome {
  key: string;
  reference: string;
  provider: string;
  amount: string;
  expected: string | null;
  outcome: string;
  paid: boolean;
}

/** The reconciliation in words: how many rows matched (and were paid now), which were not paid and why. */
function ReconciliationResult({ result, lines }: { result: Reconciliation; lines: BatchLine[] }) {
  const { t } = useI18n();
  const provider = (reference: string) => lines.find((line) => line.id === reference)?.providerName ?? '—';
  const reasons: Record<Reconciliation['mismatched'][number]['reason'], string> = {
    amount_differs: t('金额与应付不符，未支付', 'the amount differs from what is owed: not paid'),
    already_paid: t('该行已按另一笔流水支付，未重复支付', 'the line was already paid by another transfer: not paid twice'),
    line_failed: t('该行已标记支付失败，未支付', 'the line was marked failed: not paid'),
    line_cancelled: t('该行已取消，未支付', 'the line was cancelled: not paid'),
  };
  const rows: StatementOutcome[] = [
    ...result.matched.map((row, index) => ({
      key: `matched-${index}`,
      reference: row.reference,
      provider: provider(row.reference),
      amount: row.amount,
      expected: row.amount,
      outcome: row.alreadyPaid
        ? t(`已匹配：此前已支付（流水号 ${row.bankReference}），未重复支付`, `Matched: already paid (bank reference ${row.bankReference}), not paid twice`)
        : t(
            `已匹配：已支付（流水号 ${row.bankReference}，账本序号 ${row.ledgerSeq ?? '—'}）`,
            `Matched: paid (bank reference ${row.bankReference}, ledger seq ${row.ledgerSeq ?? '—'})`,
          ),
      paid: true,
    })),
    ...result.mismatched.map((row, index) => ({
      key: `mismatched-${index}`,
      reference: row.reference,
      provider: provider(row.reference),
      amount: row.amount,
      expected: row.expected,
      outcome: `${t('不符：', 'Mismatched: ')}${reasons[row.reason]}`,
      paid: false,
    })),
    ...result.unknown.map((row, index) => ({
      key: `unknown-${index}`,
      reference: row.reference,
      provider: '—',
      amount: row.amount,
      expected: null,
      outcome: t('未知：本批次没有这个参考号，未支付', 'Unknown: no line of this batch has this reference, not paid'),
      paid: false,
    })),
  ];
  const paidNow = result.matched.filter((row) => !row.alreadyPaid).length;
  const problems = result.mismatched.length + result.unknown.length;
  return (
    <Alert
      style={{ marginTop: 12 }}
      type={problems > 0 ? 'warning' : 'success'}
      showIcon
      title={t('对账结果', 'Reconciliation')}
      description={
        <div data-testid="reconciliation">
          <Typography.Paragraph data-testid="reconciliation-summary">
            {t(
              `已匹配 ${result.matched.length} 笔（本次支付 ${paidNow} 笔）；不符 ${result.mismatched.length} 笔；未知 ${result.unknown.length} 笔；仍待支付 ${result.stillPending.length} 笔。`,
              `Matched ${result.matched.length} (paid now ${paidNow}); mismatched ${result.mismatched.length}; unknown ${result.unknown.length}; still pending ${result.stillPending.length}.`,
            )}{' '}
            {t('批次状态：', 'Batch status: ')}
            <StatusTag status={result.status} />
          </Typography.Paragraph>
          <Table<StatementOutcome>
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: t('参考号', 'Reference'), dataIndex: 'reference', key: 'reference' },
              { title: t('服务商', 'Provider'), dataIndex: 'provider', key: 'provider' },
              {
                title: t('对账单金额', 'Statement amount'),
                dataIndex: 'amount',
                key: 'amount',
                align: 'right',
                render: (value: string) => <Money value={value} />,
              },
              {
                title: t('应付金额', 'Owed'),
                dataIndex: 'expected',
                key: 'expected',
                align: 'right',
                render: (value: string | null) => <Money value={value} />,
              },
              {
                title: t('结果', 'Outcome'),
                dataIndex: 'outcome',
                key: 'outcome',
                render: (value: string, row) => <Typography.Text type={row.paid ? 'success' : 'danger'}>{value}</Typography.Text>,
              },
            ]}
          />
        </div>
      }
    />
  );
}

/** Why a provider's lines were held back, in words (the API's code when the console does not know it). */
function blockedReason(reason: string, t: Translate): string {
  const names: Record<string, string> = {
    not_registered: t('未在服务商名录中', 'not in the provider register'),
    suspended: t('服务商已暂停', 'provider suspended'),
    // decision 0042: a provider on a watchlist that applies to the program is not paid.
    listed: t('列入监管名单', 'on the watchlist'),
  };
  return names[reason] ?? reason;
}

/** Cancels a draft batch, or an approved one with no line paid, with an optional reason: its claims are released. */
function CancelBatch({ batch, onDone }: { batch: PaymentBatch; onDone(batch: PaymentBatch): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>
        {t('取消批次', 'Cancel the batch')}
      </Button>
      <FormDialog
        open={open}
        title={t('取消支付批次', 'Cancel the payment batch')}
        okText={t('确认取消', 'Cancel it')}
        danger
        cancelText={t('返回', 'Back')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { reason?: string }) => {
          const reason = values.reason?.trim();
          const body = reason ? { reason } : {};
          const updated = await submission.submit(body, (key) =>
            api<PaymentBatch>('POST', `/v1/payment-batches/${batch.id}/cancel`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Typography.Paragraph>
          {t(
            '取消后，本批次待支付各行所含的核销款项将退回未支付状态，可由新的批次重新汇集。',
            'Its pending lines’ claims return to unpaid, for a new batch to gather again.',
          )}
        </Typography.Paragraph>
        <Form.Item label={t('取消原因（可选）', 'Reason (optional)')} name="reason">
          <Input maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

function LineAction({ batch, line, onDone }: { batch: PaymentBatch; line: BatchLine; onDone(batch: PaymentBatch): void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'paid' | 'failed' | null>(null);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  if (line.status !== 'pending' || (batch.status !== 'approved' && batch.status !== 'partially_paid')) return null;
  return (
    <Space>
      <Button size="small" type="primary" onClick={() => setMode('paid')}>
        {t('标记已支付', 'Mark paid')}
      </Button>
      <Button size="small" danger onClick={() => setMode('failed')}>
        {t('标记失败', 'Mark failed')}
      </Button>
      <FormDialog
        open={mode !== null}
        title={
          mode === 'paid' ? t(`支付 ${line.providerName}`, `Pay ${line.providerName}`) : t(`支付失败 ${line.providerName}`, `Failed: ${line.providerName}`)
        }
        okText={t('提交', 'Submit')}
        submitting={submission.submitting}
        onClose={() => setMode(null)}
        form={form}
        initialValues={{ paidOn: dayjs(todayInShanghai()) }}
        onFinish={async (values: { bankReference?: string; paidOn?: dayjs.Dayjs; reason?: string }) => {
          const body = mode === 'paid' ? { bankReference: values.bankReference, paidOn: values.paidOn?.format('YYYY-MM-DD') } : { reason: values.reason };
          const updated = await submission.submit({ mode, body }, (key) =>
            api<PaymentBatch>('POST', `/v1/payment-batches/${batch.id}/lines/${line.id}/${mode}`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setMode(null);
            onDone(updated);
          }
        }}
      >
        <p>
          {t('金额', 'Amount')} {formatYuan(line.amount)}
        </p>
        {mode === 'paid' ? (
          <>
            <Form.Item label={t('银行流水号', 'Bank reference')} name="bankReference" rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item label={t('支付日期', 'Paid on')} name="paidOn" rules={[{ required: true }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </>
        ) : (
          <Form.Item label={t('失败原因', 'Reason')} name="reason" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </Space>
  );
}

export default function PaymentBatchDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const batch = useLoad((signal) => get<PaymentBatch>(`/v1/payment-batches/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const action = useSubmission();
  const [reconciled, setReconciled] = useState<Reconciliation | null>(null);
  const [downloadProblem, setDownloadProblem] = useState<unknown>(null);
  if (batch.error) return <ProblemAlert problem={batch.error} />;
  const b = batch.data;
  if (!b) return null;
  const issuer = claims.role === 'issuer' && claims.region === b.region;
  const columns: Columns<BatchLine> = [
    { title: t('服务商', 'Provider'), key: 'provider', render: (_, line) => `${line.providerName} (${line.providerUscc})` },
    { title: t('收款账户', 'Account'), key: 'account', render: (_, line) => `${line.bankAccount.bankName} ${line.bankAccount.accountNumber}` },
    { title: t('金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('各级分担', 'Shares'),
      key: 'shares',
      render: (_, line) => line.shares.map((share) => `${regionName(share.region, language)} ${formatYuan(share.amount)}`).join('；'),
    },
    {
      title: t('状态', 'Status'),
      dataIndex: 'status',
      key: 'status',
      render: (status: string, line) => (
        <>
          <StatusTag status={status} />
          {line.failureReason && <Typography.Text type="secondary">{line.failureReason}</Typography.Text>}
        </>
      ),
    },
    { title: t('银行流水号', 'Bank reference'), dataIndex: 'bankReference', key: 'bankReference', render: (value: string | null) => value ?? '—' },
    ...(issuer
      ? [{ title: t('操作', 'Action'), key: 'action', render: (_: unknown, line: BatchLine) => <LineAction batch={b} line={line} onDone={batch.set} /> }]
      : []),
  ];
  const post = (path: string) => async () => {
    const updated = await action.submit({ path }, (key) => api<PaymentBatch>('POST', `/v1/payment-batches/${b.id}/${path}`, { idempotencyKey: key }));
    if (updated) batch.set(updated);
  };
  return (
    <>
      <PageTitle extra={<StatusTag status={b.status} />}>
        {t('支付批次', 'Payment batch')} {b.id.slice(0, 8)}…
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('项目', 'Program')}>{b.programId}</Descriptions.Item>
          <Descriptions.Item label={t('截止日', 'Cutoff')}>{b.cutoff}</Descriptions.Item>
          <Descriptions.Item label={t('合计', 'Total')}>{formatYuan(b.total)}</Descriptions.Item>
          <Descriptions.Item label={t('制单人', 'Maker')}>{b.maker}</Descriptions.Item>
          <Descriptions.Item label={t('审批人', 'Checker')}>{b.checker ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('审批时间', 'Approved')}>{formatDateTime(b.approvedAt)}</Descriptions.Item>
        </Descriptions>
        <ProblemAlert problem={action.problem} onClose={action.clear} />
        <Space wrap style={{ marginTop: 12 }}>
          {issuer && b.status === 'draft' && (
            <Button type="primary" onClick={post('approve')} loading={action.submitting}>
              {t('审批（须为制单人以外的人员）', 'Approve (someone other than the maker)')}
            </Button>
          )}
          {issuer && (b.status === 'draft' || b.status === 'approved') && (
            <CancelBatch
              batch={b}
              onDone={(updated) => {
                setReconciled(null);
                batch.set(updated);
              }}
            />
          )}
          {b.status !== 'draft' && b.status !== 'cancelled' && (
            <Button
              onClick={() => {
                setDownloadProblem(null);
                download(`/v1/payment-batches/${b.id}/instructions.csv`, undefined, `payment-instructions-${b.id}.csv`).catch(setDownloadProblem);
              }}
            >
              {t('下载支付指令文件', 'Download the instruction file')}
            </Button>
          )}
          {issuer && (b.status === 'approved' || b.status === 'partially_paid' || b.status === 'paid') && (
            <Upload
              accept=".csv,text/csv"
              showUploadList={false}
              beforeUpload={async (file) => {
                const content = await file.text();
                const result = await action.submit({ reconcile: content }, (key) =>
                  api<Reconciliation>('POST', `/v1/payment-batches/${b.id}/reconcile`, { text: { contentType: 'text/csv', content }, idempotencyKey: key }),
                );
                if (result) {
                  setReconciled(result);
                  batch.reload();
                }
                return false;
              }}
            >
              <Button>{t('上传银行对账单（CSV）', 'Upload a bank statement (CSV)')}</Button>
            </Upload>
          )}
        </Space>
        <ProblemAlert problem={downloadProblem} onClose={() => setDownloadProblem(null)} />
        {reconciled && <ReconciliationResult result={reconciled} lines={b.lines} />}
      </Card>
      <Card title={t('支付明细', 'Lines')} style={{ marginBottom: 16 }} data-testid="batch-lines">
        <Table rowKey="id" columns={columns} dataSource={b.lines} pagination={false} size="small" scroll={{ x: true }} />
      </Card>
      {(b.receivables.length > 0 || b.blocked.length > 0) && (
        <Card title={t('应收与暂缓', 'Receivables and blocked')}>
          <Table
            rowKey="providerUscc"
            size="small"
            pagination={false}
            dataSource={[...b.receivables.map((r) => ({ ...r, reason: t('应收回', 'owes back') })), ...b.blocked]}
            columns={[
              { title: t('服务商', 'Provider'), dataIndex: 'providerUscc' },
              { title: t('原因', 'Reason'), dataIndex: 'reason', render: (reason: string) => blockedReason(reason, t) },
              { title: t('金额', 'Amount'), dataIndex: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
            ]}
          />
        </Card>
      )}
    </>
  );
}
