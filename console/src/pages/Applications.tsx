import { Card, Col, Form, Row, Table } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, get, type Page } from '../api';
import { ApplicationForm, ApplicationStatus, type ApplicationValues, toBody } from '../applications';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, useLoad, usePaged } from '../components';
import { formatDateTime, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Application, DocumentMeta, Program, PublicNotice } from '../types';

/**
 * The programs an enterprise may apply to, to choose from: those taking applications today, when the API lets it
 * list programs; else the programs of the public notices. Either way the form also takes a program id typed in.
 */
async function programChoices(signal: AbortSignal): Promise<{ value: string; label: string }[]> {
  try {
    const page = await get<Page<Program>>('/v1/programs', { limit: 200 }, signal);
    const today = todayInShanghai();
    return page.items
      .filter((program) => program.applications && program.applications.opensOn <= today && today <= program.applications.closesOn)
      .map((program) => ({ value: program.id, label: `${program.name}（${program.applications!.opensOn} – ${program.applications!.closesOn}）` }));
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 403 && err.status !== 404)) throw err;
  }
  const notices = await api<Page<PublicNotice>>('GET', '/v1/public/notices', { query: { limit: 200 }, anonymous: true, signal });
  const seen = new Map<string, string>();
  for (const notice of notices.items) seen.set(notice.programId, notice.programName);
  return [...seen].map(([value, label]) => ({ value, label }));
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
