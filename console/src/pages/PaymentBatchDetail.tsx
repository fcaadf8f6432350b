import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Space, Table, Typography, Upload } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { api, download, get } from '../api';
import { useSession } from '../auth';
import { type Columns, Money, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime, formatYuan, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { BatchLine, PaymentBatch } from '../types';

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
      <Modal
        open={mode !== null}
        title={mode === 'paid' ? t(`支付 ${line.providerName}`, `Pay ${line.providerName}`) : t(`支付失败 ${line.providerName}`, `Failed: ${line.providerName}`)}
        okText={t('提交', 'Submit')}
        confirmLoading={submission.submitting}
        onCancel={() => setMode(null)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
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
        </Form>
      </Modal>
    </Space>
  );
}

export default function PaymentBatchDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const batch = useLoad((signal) => get<PaymentBatch>(`/v1/payment-batches/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const action = useSubmission();
  const [reconciled, setReconciled] = useState<Record<string, unknown> | null>(null);
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
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: t('银行流水号', 'Bank reference'), dataIndex: 'bankReference', key: 'bankReference', render: (value: string | null) => value ?? '—' },
    ...(issuer ? [{ title: t('操作', 'Action'), key: 'action', render: (_: unknown, line: BatchLine) => <LineAction batch={b} line={line} onDone={batch.set} /> }] : []),
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
            <Button danger onClick={post('cancel')} loading={action.submitting}>
              {t('取消批次', 'Cancel the batch')}
            </Button>
          )}
          {b.status !== 'draft' && b.status !== 'cancelled' && (
            <Button onClick={() => void download(`/v1/payment-batches/${b.id}/instructions.csv`, undefined, `payment-instructions-${b.id}.csv`).catch(() => undefined)}>
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
                  api<Record<string, unknown>>('POST', `/v1/payment-batches/${b.id}/reconcile`, { text: { contentType: 'text/csv', content }, idempotencyKey: key }),
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
        {reconciled && (
          <Alert
            style={{ marginTop: 12 }}
            type="info"
            showIcon
            title={t('对账结果', 'Reconciliation')}
            description={<Typography.Text code>{JSON.stringify(reconciled)}</Typography.Text>}
          />
        )}
      </Card>
      <Card title={t('支付明细', 'Lines')} style={{ marginBottom: 16 }}>
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
              { title: t('原因', 'Reason'), dataIndex: 'reason' },
              { title: t('金额', 'Amount'), dataIndex: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
            ]}
          />
        </Card>
      )}
    </>
  );
}
