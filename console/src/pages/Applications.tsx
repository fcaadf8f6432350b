import { Card, Col, Form, Row, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, type Page } from '../api';
import { ApplicationForm, ApplicationStatus, type ApplicationValues, toBody } from '../applications';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, useLoad, usePaged } from '../components';
import { formatDateTime } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Application, CallForApplications, DocumentMeta } from '../types';

/** The programs taking applications today, from the public calls for applications (no token needed). */
async function programChoices(signal: AbortSignal): Promise<{ value: string; label: string }[]> {
  const calls = await api<Page<CallForApplications>>('GET', '/v1/public/programs', { query: { limit: 200 }, anonymous: true, signal });
  return calls.items
    .filter((call) => call.state === 'open')
    .map((call) => ({ value: call.programId, label: `${call.name}（${call.opensOn} – ${call.closesOn}）` }));
}

function Apply({ onApplied }: { onApplied(application: Application): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ApplicationValues>();
  const submission = useSubmission(form);
  const [documents, setDocuments] = useState<DocumentMeta[]>([]);
  const programs = useLoad((signal) => programChoices(signal).catch(() => []), []);
  async function finish(values: ApplicationValues) {
    const body = toBody(values, documents);
    const application = await submission.submit(body, (key) => api<Application>('POST', '/v1/applications', { body, idempotencyKey: key }));
    if (application) {
      form.resetFields();
      setDocuments([]);
      onApplied(application);
    }
  }
  return (
    <Card title={t('申报补贴', 'Apply for a voucher')}>
      <ApplicationForm
        name="apply"
        form={form}
        programs={programs.data ?? []}
        documents={documents}
        onDocuments={setDocuments}
        onFinish={finish}
        problem={submission.problem}
        onCloseProblem={submission.clear}
        submitting={submission.submitting}
        submitText={t('提交申报', 'Submit the application')}
      />
    </Card>
  );
}

export default function Applications() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = usePaged<Application>('/v1/applications', {}, []);
  const columns: Columns<Application> = [
    {
      title: t('项目', 'Program'),
      dataIndex: 'programName',
      key: 'programName',
      render: (name: string, application) => <Link to={`/applications/${application.id}`}>{name}</Link>,
    },
    { title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindName(kind, t) },
    { title: t('申请金额', 'Asked for'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('核定金额', 'Approved'),
      dataIndex: 'approvedAmount',
      key: 'approvedAmount',
      align: 'right',
      render: (value: string | null) => <Money value={value} />,
    },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <ApplicationStatus status={status} /> },
    { title: t('更新时间', 'Updated'), dataIndex: 'updatedAt', key: 'updatedAt', render: (at: string) => formatDateTime(at) },
  ];
  return (
    <>
      <PageTitle>{t('补贴申报', 'Applications')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title={t('我的申报', 'My applications')} style={{ marginBottom: 16 }}>
            <ProblemAlert problem={list.error} />
            <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="middle" />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Apply onApplied={(application) => navigate(`/applications/${application.id}`)} />
        </Col>
      </Row>
    </>
  );
}
