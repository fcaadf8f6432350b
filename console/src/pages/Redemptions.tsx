import { Button, Card, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../api';
import { ClaimStatus, isOpen, lastReason } from '../claims';
import { AMOUNT_PATTERN, type Columns, FormDialog, LoadMore, Money, PageTitle, ProblemAlert, StatusTag, usePaged } from '../components';
import { formatRate, formatYuan, toFen } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Redemption } from '../types';
import { VerifyButton } from '../VerifyEntry';
import { LimitedByText } from './VoucherDetail';

/** Reverses part of a redemption (its provider, or an issuer of the voucher's region: a failed spot check uses it too). */
export function Reverse({ redemption, onDone }: { redemption: Redemption; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const [open, setOpen] = useState(false);
  // Nothing is left to reverse once the whole execution has been.
  if (toFen(redemption.reversedAmount) >= toFen(redemption.executedAmount))
    return <Typography.Text type="secondary">{t('已全额冲销', 'Fully reversed')}</Typography.Text>;
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={t(`冲销 ${redemption.invoiceNumber}`, `Reverse ${redemption.invoiceNumber}`)}>
        {t('冲销', 'Reverse')}
      </Button>
      <FormDialog
        open={open}
        title={t(`冲销核销（发票 ${redemption.invoiceNumber}）`, `Reverse the redemption (invoice ${redemption.invoiceNumber})`)}
        okText={t('提交冲销', 'Reverse')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { executedAmount: string; reason: string }) => {
          const done = await submission.submit(values, (key) =>
            api('POST', `/v1/redemptions/${redemption.id}/reversals`, { body: values, idempotencyKey: key }),
          );
          if (done) {
            setOpen(false);
            onDone();
          }
        }}
      >
        <p>
          {t('执行金额', 'Executed')} {formatYuan(redemption.executedAmount)} · {t('已冲销', 'reversed')} {formatYuan(redemption.reversedAmount)}
        </p>
        <Form.Item
          label={t('冲销执行金额（元）', 'Executed amount to reverse (yuan)')}
          name="executedAmount"
          rules={[{ required: true }, { pattern: AMOUNT_PATTERN }]}
        >
          <Input inputMode="decimal" style={{ textAlign: 'right' }} />
        </Form.Item>
        <Form.Item label={t('原因', 'Reason')} name="reason" rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

export default function Redemptions() {
  const { t } = useI18n();
  const list = usePaged<Redemption>('/v1/redemptions', {}, []);
  const columns: Columns<Redemption> = [
    { title: t('执行日期', 'Executed on'), dataIndex: 'executedOn', key: 'executedOn' },
    {
      title: t('发票号', 'Invoice'),
      dataIndex: 'invoiceNumber',
      key: 'invoiceNumber',
      // A claim opens for its documents, history and what the provider may do next.
      render: (invoice: string, redemption) => (redemption.claim ? <Link to={`/redemptions/${redemption.id}`}>{invoice}</Link> : invoice),
    },
    { title: t('补贴券', 'Voucher'), dataIndex: 'voucherId', key: 'voucherId', render: (id: string) => <code>{id.slice(0, 8)}…</code> },
    {
      title: t('执行金额', 'Executed'),
      dataIndex: 'executedAmount',
      key: 'executedAmount',
      align: 'right',
      render: (value: string, redemption) => (
        <>
          <Money value={value} />
          {/* An approved claim is owed on the lower of claimed and paid: what was claimed is shown beneath. */}
          {redemption.claim && redemption.claim.executedAmount !== value && (
            <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'right', fontSize: 12 }}>
              {t(`申报 ${formatYuan(redemption.claim.executedAmount)}`, `claimed ${formatYuan(redemption.claim.executedAmount)}`)}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('比例', 'Rate'), dataIndex: 'rate', key: 'rate', render: (rate: string) => formatRate(rate) },
    {
      title: t('补贴', 'Subsidy'),
      dataIndex: 'subsidy',
      key: 'subsidy',
      align: 'right',
      render: (value: string, redemption) => (
        <>
          <Money value={value} />
          {redemption.claim && isOpen(redemption.status) && (
            <Typography.Text type="secondary" style={{ display: 'block', textAlign: 'right', fontSize: 12 }}>
              {t('预留中', 'reserved')}
            </Typography.Text>
          )}
        </>
      ),
    },
    {
      title: t('已冲销执行金额', 'Reversed'),
      dataIndex: 'reversedAmount',
      key: 'reversedAmount',
      align: 'right',
      render: (value: string) => <Money value={value} />,
    },
    { title: t('已追回补贴', 'Clawed back'), dataIndex: 'clawedBack', key: 'clawedBack', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('净补贴', 'Net'), dataIndex: 'netSubsidy', key: 'netSubsidy', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('限制', 'Limited by'), dataIndex: 'limitedBy', key: 'limitedBy', render: (value: string | null) => <LimitedByText limitedBy={value} /> },
    {
      title: t('审核状态', 'Claim status'),
      key: 'status',
      render: (_, redemption) =>
        redemption.claim ? <ClaimStatus status={redemption.status} /> : <Typography.Text type="secondary">{t('无需审核', 'none')}</Typography.Text>,
    },
    {
      title: t('原因', 'Why'),
      key: 'reason',
      render: (_, redemption) => {
        const why = lastReason(redemption.claim);
        return why?.reason ? <Typography.Text data-testid="claim-reason">{why.reason}</Typography.Text> : '—';
      },
    },
    { title: t('结算', 'Settlement'), key: 'settlement', render: (_, redemption) => <StatusTag status={redemption.settlement.status} /> },
    {
      // Checked in this browser against the public log: the entry's hash, the signed checkpoint, the proofs (decision 0045).
      title: t('账本验证', 'Ledger check'),
      key: 'verify',
      render: (_, redemption) => (
        <VerifyButton seq={redemption.ledgerSeq} label={t(`验证 ${redemption.invoiceNumber}`, `Verify ${redemption.invoiceNumber}`)} />
      ),
    },
    {
      title: t('操作', 'Action'),
      key: 'reverse',
      render: (_, redemption) =>
        // A claim is reversed only once approved; before, it is withdrawn from its own page.
        !redemption.claim || redemption.status === 'approved' ? (
          <Reverse redemption={redemption} onDone={list.reload} />
        ) : (
          <Link to={`/redemptions/${redemption.id}`}>{t('办理', 'Open')}</Link>
        ),
    },
  ];
  return (
    <>
      <PageTitle>{t('核销记录', 'Redemptions')}</PageTitle>
      <Card>
        <ProblemAlert problem={list.error} />
        <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="small" scroll={{ x: true }} />
        <LoadMore more={list.more} loading={list.loading} />
      </Card>
    </>
  );
}
