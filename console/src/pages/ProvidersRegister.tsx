import { Button, Card, Col, Form, type FormInstance, Input, Modal, Row, Select, Space, Switch, Table } from 'antd';
import { useState } from 'react';
import { api, get } from '../api';
import { useSession } from '../auth';
import { type Columns, FormDialog, KIND_OPTIONS, PageTitle, ProblemAlert, StatusTag, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Registration } from '../types';

function StatusChange({ registration, onDone }: { registration: Registration; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const [open, setOpen] = useState(false);
  const action = registration.status === 'active' ? 'suspend' : 'reinstate';
  const verb = action === 'suspend' ? t('暂停', 'Suspend') : t('恢复', 'Reinstate');
  return (
    <>
      <Button size="small" danger={action === 'suspend'} onClick={() => setOpen(true)} aria-label={`${verb} ${registration.name}`}>
        {verb}
      </Button>
      <FormDialog
        open={open}
        title={
          action === 'suspend'
            ? t(`暂停 ${registration.name}`, `Suspend ${registration.name}`)
            : t(`恢复 ${registration.name}`, `Reinstate ${registration.name}`)
        }
        okText={action === 'suspend' ? t('确认暂停', 'Suspend') : t('确认恢复', 'Reinstate')}
        danger={action === 'suspend'}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { reason: string }) => {
          const done = await submission.submit({ action, values }, (key) =>
            api('POST', `/v1/providers/${registration.uscc}/${action}`, { body: values, idempotencyKey: key }),
          );
          if (done) {
            setOpen(false);
            onDone();
          }
        }}
      >
        <Form.Item label={action === 'suspend' ? t('暂停原因', 'Reason') : t('恢复原因', 'Reason')} name="reason" rules={[{ required: true }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

type ServiceValues = { code: string; name: string; kind: string; autonomous?: boolean };
type RegistrationValues = { name: string; bankAccount: Registration['bankAccount']; services: ServiceValues[] };

/** The body the API takes: autonomy only for compute services (it is required there, refused elsewhere). */
function registrationBody(values: RegistrationValues) {
  return {
    name: values.name,
    bankAccount: values.bankAccount,
    services: values.services.map((s) => ({
      code: s.code,
      name: s.name,
      kind: s.kind,
      ...(s.kind === 'compute' ? { autonomous: s.autonomous ?? false } : {}),
    })),
  };
}

/** A registration's name, bank account and services: the fields of registering and of changing one. */
function RegistrationFields({ form }: { form: FormInstance }) {
  const { t } = useI18n();
  return (
    <>
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
              <Card
                key={field.key}
                size="small"
                style={{ marginBottom: 8 }}
                title={t(`服务 ${index + 1}`, `Service ${index + 1}`)}
                extra={
                  <Button size="small" onClick={() => remove(field.name)}>
                    {t('删除', 'Remove')}
                  </Button>
                }
              >
                <Form.Item label={t(`服务编码 ${index + 1}`, `Service code ${index + 1}`)} name={[field.name, 'code']} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t(`服务名称 ${index + 1}`, `Service name ${index + 1}`)} name={[field.name, 'name']} rules={[{ required: true }]}>
                  <Input />
                </Form.Item>
                <Form.Item label={t(`券种 ${index + 1}`, `Kind ${index + 1}`)} name={[field.name, 'kind']}>
                  <Select options={KIND_OPTIONS(t)} />
                </Form.Item>
                {/* Autonomy decides a compute service's rate only: corpus and model services have none. */}
                <Form.Item noStyle shouldUpdate={(before, after) => before.services?.[field.name]?.kind !== after.services?.[field.name]?.kind}>
                  {() =>
                    form.getFieldValue(['services', field.name, 'kind']) === 'compute' ? (
                      <Form.Item label={t(`自主可控 ${index + 1}`, `Autonomous ${index + 1}`)} name={[field.name, 'autonomous']} valuePropName="checked">
                        <Switch />
                      </Form.Item>
                    ) : null
                  }
                </Form.Item>
              </Card>
            ))}
            <Button type="dashed" onClick={() => add({ kind: 'compute', autonomous: false })} style={{ marginBottom: 16 }}>
              {t('添加服务', 'Add a service')}
            </Button>
          </>
        )}
      </Form.List>
    </>
  );
}

/** Replaces the registration (PUT): the same fields, filled with what the register holds now. */
function Change({ registration, onDone }: { registration: Registration; onDone(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const [open, setOpen] = useState(false);
  const initialValues: RegistrationValues = {
    name: registration.name,
    bankAccount: registration.bankAccount,
    services: registration.services.map((s) => ({
      code: s.code,
      name: s.name,
      kind: s.kind,
      ...(s.kind === 'compute' ? { autonomous: s.autonomous ?? false } : {}),
    })),
  };
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`${t('变更', 'Change')} ${registration.name}`}>
        {t('变更', 'Change')}
      </Button>
      <FormDialog
        open={open}
        width={560}
        title={t(`变更 ${registration.name}（${registration.uscc}）`, `Change ${registration.name} (${registration.uscc})`)}
        okText={t('保存变更', 'Save')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        name="changeProvider"
        initialValues={initialValues}
        onFinish={async (values: RegistrationValues) => {
          const body = registrationBody(values);
          const done = await submission.submit(body, (key) => api('PUT', `/v1/providers/${registration.uscc}`, { body, idempotencyKey: key }));
          if (done) {
            setOpen(false);
            onDone();
          }
        }}
      >
        <RegistrationFields form={form} />
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

interface RegistrationChange {
  version: number;
  action: 'registered' | 'replaced' | 'suspended' | 'reinstated';
  actor: { sub: string; role: string; region: string };
  recordedAt: string;
  reason: string | null;
  registration: Registration;
}

/** The registration's history in its region: who changed it, when, why, and what it was afterwards. */
function History({ registration }: { registration: Registration }) {
  const { t, language } = useI18n();
  const [open, setOpen] = useState(false);
  const history = useLoad(
    (signal) =>
      open
        ? get<{ changes: RegistrationChange[] }>(`/v1/providers/${encodeURIComponent(registration.uscc)}/history`, { region: registration.region }, signal)
        : Promise.resolve(undefined),
    [open, registration.uscc, registration.region, registration.version, registration.status],
  );
  const actions: Record<RegistrationChange['action'], string> = {
    registered: t('登记', 'registered'),
    replaced: t('变更', 'replaced'),
    suspended: t('暂停', 'suspended'),
    reinstated: t('恢复', 'reinstated'),
  };
  const columns: Columns<RegistrationChange> = [
    { title: t('版本', 'Version'), dataIndex: 'version', key: 'version' },
    { title: t('变动', 'Change'), dataIndex: 'action', key: 'action', render: (action: RegistrationChange['action']) => actions[action] ?? action },
    { title: t('状态', 'Status'), key: 'status', render: (_, change) => <StatusTag status={change.registration.status} /> },
    { title: t('操作人', 'By'), key: 'actor', render: (_, change) => change.actor.sub },
    { title: t('时间', 'At'), dataIndex: 'recordedAt', key: 'recordedAt', render: (value: string) => formatDateTime(value) },
    { title: t('原因', 'Reason'), dataIndex: 'reason', key: 'reason', render: (reason: string | null) => reason ?? '—' },
    {
      title: t('收款账户', 'Bank account'),
      key: 'bank',
      render: (_, change) => `${change.registration.bankAccount.bankName} · ${change.registration.bankAccount.accountNumber}`,
    },
  ];
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`${t('历史', 'History')} ${registration.name}`}>
        {t('历史', 'History')}
      </Button>
      <Modal
        open={open}
        width={900}
        title={t(
          `${registration.name} 的登记历史（${regionName(registration.region, language)}）`,
          `History of ${registration.name} (${regionName(registration.region, language)})`,
        )}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <ProblemAlert problem={history.error} />
        <Table
          rowKey="version"
          columns={columns}
          dataSource={history.data?.changes ?? []}
          loading={history.loading}
          pagination={false}
          size="small"
          data-testid="provider-history"
        />
      </Modal>
    </>
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
    {
      title: t('收款账户', 'Bank account'),
      key: 'bank',
      render: (_, r) => `${r.bankAccount.bankName} · ${r.bankAccount.accountName} · ${r.bankAccount.accountNumber}`,
    },
    { title: t('服务', 'Services'), key: 'services', render: (_, r) => r.services.map((s) => `${s.code} ${s.name}`).join('；') },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
    { title: t('版本', 'Version'), dataIndex: 'version', key: 'version' },
    { title: t('更新时间', 'Updated'), dataIndex: 'updatedAt', key: 'updatedAt', render: (value: string) => formatDateTime(value) },
    {
      title: t('操作', 'Action'),
      key: 'action',
      render: (_, r) => (
        <Space orientation="vertical" size={4}>
          {claims.role === 'issuer' && r.region === claims.region ? (
            <>
              <Change registration={r} onDone={register.reload} />
              <StatusChange registration={r} onDone={register.reload} />
            </>
          ) : null}
          <History registration={r} />
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageTitle>{t('服务商名录', 'Provider register')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={claims.role === 'issuer' ? 15 : 24}>
          <Card>
            <ProblemAlert problem={register.error} />
            <Table
              rowKey={(r) => `${r.uscc}-${r.region}`}
              columns={columns}
              dataSource={register.data?.registrations ?? []}
              loading={register.loading}
              pagination={false}
              size="small"
              scroll={{ x: true }}
            />
          </Card>
        </Col>
        {claims.role === 'issuer' && (
          <Col xs={24} lg={9}>
            <Card title={t('登记服务商', 'Register a provider')}>
              <Form
                form={form}
                layout="vertical"
                initialValues={{ services: [{ kind: 'compute', autonomous: false }] }}
                onFinish={async (values: RegistrationValues & { uscc: string }) => {
                  const body = { uscc: values.uscc, ...registrationBody(values) };
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
                <RegistrationFields form={form} />
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
