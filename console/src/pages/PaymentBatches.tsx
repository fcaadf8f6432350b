import { Button, Card, Col, DatePicker, Form, Input, Row, Table } from 'antd';
import dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { api, get } from '../api';
import { useSession } from '../auth';
import { type Columns, Money, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { PaymentBatch } from '../types';

export default function PaymentBatches() {
  const { t } = useI18n();
  const { claims } = useSession();
  const navigate = useNavigate();
  const batches = useLoad((signal) => get<{ batches: PaymentBatch[] }>('/v1/payment-batches', undefined, signal), []);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const columns: Columns<PaymentBatch> = [
    {
      title: t('批次', 'Batch'),
      dataIndex: 'id',
      key: 'id',
      render: (id: string) => <a onClick={() => navigate(`/payment-batches/${id}`)}>{id.slice(0, 8)}…</a>,
    },
    {
      title: t('项目', 'Program'),
      dataIndex: 'programId',
      key: 'programId',
      render: (id: string) => <a onClick={() => navigate(`/programs/${id}`)}>{id.slice(0, 8)}…</a>,
    },
    { title: t('截止日', 'Cutoff'), dataIndex: 'cutoff', key: 'cutoff' },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: t('制单人', 'Maker'), dataIndex: 'maker', key: 'maker' },
    { title: t('审批人', 'Checker'), dataIndex: 'checker', key: 'checker', render: (checker: string | null) => checker ?? '—' },
    { title: t('合计', 'Total'), dataIndex: 'total', key: 'total', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('创建时间', 'Created'), dataIndex: 'createdAt', key: 'createdAt', render: (value: string) => formatDateTime(value) },
  ];
  return (
    <>
      <PageTitle>{t('支付批次', 'Payment batches')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={claims.role === 'issuer' ? 16 : 24}>
          <Card>
            <ProblemAlert problem={batches.error} />
            <Table
              rowKey="id"
              columns={columns}
              dataSource={batches.data?.batches ?? []}
              loading={batches.loading}
              pagination={false}
              size="small"
              scroll={{ x: true }}
            />
          </Card>
        </Col>
        {claims.role === 'issuer' && (
          <Col xs={24} lg={8}>
            <Card title={t('制单：新建支付批次', 'Make a payment batch')}>
              <Form
                form={form}
                layout="vertical"
                initialValues={{ cutoff: dayjs(todayInShanghai()) }}
                onFinish={async (values: { programId: string; cutoff: dayjs.Dayjs }) => {
                  const body = { programId: values.programId.trim(), cutoff: values.cutoff.format('YYYY-MM-DD') };
                  const batch = await submission.submit(body, (key) => api<PaymentBatch>('POST', '/v1/payment-batches', { body, idempotencyKey: key }));
                  if (batch) navigate(`/payment-batches/${batch.id}`);
                }}
              >
                <Form.Item label={t('项目编号', 'Program id')} name="programId" rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t('核销截止日', 'Cutoff (executed on or before)')} name="cutoff" rules={[{ required: true }]}>
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
                <ProblemAlert problem={submission.problem} onClose={submission.clear} />
                <Button type="primary" htmlType="submit" loading={submission.submitting}>
                  {t('生成批次', 'Make the batch')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
