import { Button, Card, Col, Form, Input, Row, Select, Space, Switch, Table } from 'antd';
import { api, get } from '../api';
import { useSession } from '../auth';
import { type Columns, KIND_OPTIONS, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Registration } from '../types';

function StatusChange({ registration, onDone }: { registration: Registration; onDone(): void }) {
  const { t } = useI18n();
  const submission = useSubmission();
  const action = registration.status === 'active' ? 'suspend' : 'reinstate';
  return (
    <Space orientation="vertical">
      <Button
        size="small"
        danger={action === 'suspend'}
        loading={submission.submitting}
        onClick={async () => {
          const reason = window.prompt(t('原因', 'Reason'));
          if (!reason) return;
          const body = { reason };
          const done = await submission.submit({ action, body }, (key) =>
            api('POST', `/v1/providers/${registration.uscc}/${action}`, { body, idempotencyKey: key }),
          );
          if (done) onDone();
        }}
      >
        {action === 'suspend' ? t('暂停', 'Suspend') : t('恢复', 'Reinstate')}
      </Button>
      <ProblemAlert problem={submission.problem} onClose={submission.clear} />
    </Space>
  );
}

export default function ProvidersRegister() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const register = useLoad((signal) => get<{ region: string; registrations: Registration[] }>('/v1/providers', undefined, signal), []);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const columns: Columns<Registration> = [
    { title: t('服务商', 'Provider'), key: 'name', render: (_, r) => `${r.name} (${r.uscc})` },
    { title: t('登记地区', 'Region'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('收款账户', 'Bank account'), key: 'bank', render: (_, r) => `${r.bankAccount.bankName} · ${r.bankAccount.accountName} · ${r.bankAccount.accountNumber}` },
    { title: t('服务', 'Services'), key: 'services', render: (_, r) => r.services.map((s) => `${s.code} ${s.name}`).join('；') },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: t('版本', 'Version'), dataIndex: 'version', key: 'version' },
    { title: t('更新时间', 'Updated'), dataIndex: 'updatedAt', key: 'updatedAt', render: (value: string) => formatDateTime(value) },
    ...(claims.role === 'issuer'
      ? [{ title: t('操作', 'Action'), key: 'action', render: (_: unknown, r: Registration) => (r.region === claims.region ? <StatusChange registration={r} onDone={register.reload} /> : null) }]
      : []),
  ];
  return (
    <>
      <PageTitle>{t('服务商名录', 'Provider register')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={claims.role === 'issuer' ? 15 : 24}>
          <Card>
            <ProblemAlert problem={register.error} />
            <Table rowKey={(r) => `${r.uscc}-${r.region}`} columns={columns} dataSource={register.data?.registrations ?? []} loading={register.loading} pagination={false} size="small" scroll={{ x: true }} />
          </Card>
        </Col>
        {claims.role === 'issuer' && (
          <Col xs={24} lg={9}>
            <Card title={t('登记服务商', 'Register a provider')}>
              <Form
                form={form}
                layout="vertical"
                initialValues={{ services: [{ kind: 'compute', autonomous: false }] }}
                onFinish={async (values: Record<string, unknown> & { services: { kind: string; autonomous?: boolean; code: string; name: string }[] }) => {
                  const body = {
                    ...values,
                    services: values.services.map((s) => ({ code: s.code, name: s.name, kind: s.kind, ...(s.kind === 'compute' ? { autonomous: s.autonomous ?? false } : {}) })),
                  };
                  const done = await submission.submit(body, (key) => api('POST', '/v1/providers', { body, idempotencyKey: key }));
                  if (done) {
                    form.resetFields();
                    register.reload();
                  }
                }}
              >
                <Form.Item label={t('统一社会信用代码', 'USCC')} name="uscc" rules={[{ required: true, len: 18 }]}>
                  <Input maxLength={18} />
                </Form.Item>
                <Form.Item label={t('名称', 'Name')} name="name" rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t('开户银行', 'Bank')} name={['bankAccount', 'bankName']} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t('户名', 'Account name')} name={['bankAccount', 'accountName']} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t('账号', 'Account number')} name={['bankAccount', 'accountNumber']} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.List name="services">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((field, index) => (
                        <Card key={field.key} size="small" style={{ marginBottom: 8 }} title={t(`服务 ${index + 1}`, `Service ${index + 1}`)} extra={<Button size="small" onClick={() => remove(field.name)}>{t('删除', 'Remove')}</Button>}>
                          <Form.Item label={t(`服务编码 ${index + 1}`, `Service code ${index + 1}`)} name={[field.name, 'code']} rules={[{ required: true }]}>
                            <Input />
                          </Form.Item>
                          <Form.Item label={t(`服务名称 ${index + 1}`, `Service name ${index + 1}`)} name={[field.name, 'name']} rules={[{ required: true }]}>
                            <Input />
                          </Form.Item>
                          <Form.Item label={t(`券种 ${index + 1}`, `Kind ${index + 1}`)} name={[field.name, 'kind']}>
                            <Select options={KIND_OPTIONS(t)} />
                          </Form.Item>
                          <Form.Item label={t(`自主可控 ${index + 1}`, `Autonomous ${index + 1}`)} name={[field.name, 'autonomous']} valuePropName="checked">
                            <Switch />
                          </Form.Item>
                        </Card>
                      ))}
                      <Button type="dashed" onClick={() => add({ kind: 'compute', autonomous: false })} style={{ marginBottom: 16 }}>
                        {t('添加服务', 'Add a service')}
                      </Button>
                    </>
                  )}
                </Form.List>
                <ProblemAlert problem={submission.problem} onClose={submission.clear} />
                <Button type="primary" htmlType="submit" loading={submission.submitting}>
                  {t('登记', 'Register')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
