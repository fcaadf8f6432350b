import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, download, get } from '../api';
import { ApplicationForm, ApplicationHistory, ApplicationStatus, type ApplicationValues, DocumentList, toBody, valuesOf } from '../applications';
import { useSession } from '../auth';
import { AMOUNT_PATTERN, type Columns, FormDialog, kindName, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatDateTime, formatYuan, toFen, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { type Translate, useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Application, DocumentMeta, Objection, Voucher } from '../types';

type Decision = 'approve' | 'return' | 'reject';

/** The review of the application's current stage: approve, return for changes, or reject, each with its reason. */
function Review({ application, onDone }: { application: Application; onDone(application: Application): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ amount?: string; reason: string }>();
  const submission = useSubmission(form);
  const [pending, setPending] = useState<Decision | null>(null);
  const stage = application.status === 'submitted' ? 'first' : application.status === 'first_approved' ? 'final' : null;
  if (!stage) return null;
  const final = stage === 'final';
  async function decide(decision: Decision) {
    let values: { amount?: string; reason: string };
    try {
      values = await form.validateFields(decision === 'approve' ? undefined : ['reason']);
    } catch {
      return;
    }
    const amount = values.amount?.trim();
    // The revision on screen: if the enterprise resubmitted meanwhile, the server answers 409 stale_revision.
    const body = {
      stage,
      decision,
      revision: application.revision,
      reason: values.reason.trim(),
      ...(final && decision === 'approve' && amount ? { amount } : {}),
    };
    setPending(decision);
    const updated = await submission.submit(body, (key) =>
      api<Application>('POST', `/v1/applications/${application.id}/review`, { body, idempotencyKey: key }),
    );
    setPending(null);
    if (updated) {
      form.resetFields();
      onDone(updated);
    }
  }
  const label = final ? t('复审', 'Final review') : t('初审', 'First review');
  return (
    <Card title={final ? t('复审（须为初审人以外的人员）', 'Final review (not the first reviewer)') : t('初审', 'First review')} style={{ marginBottom: 16 }}>
      <Form form={form} name="review" layout="vertical">
        {final && (
          <Form.Item
            label={t('核定金额（元，可低于申请金额）', 'Approved amount (yuan, may be less than asked)')}
            name="amount"
            extra={t(`不填则按申请金额 ${formatYuan(application.amount)} 核定`, `Empty: the amount asked for, ${formatYuan(application.amount)}`)}
            rules={[
              { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'An amount with at most two decimals') },
              {
                validator: (_, value: string | undefined) =>
                  !value || !AMOUNT_PATTERN.test(value.trim()) || toFen(value) <= toFen(application.amount)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('核定金额不得高于申请金额', 'Must not exceed the amount asked for'))),
              },
            ]}
          >
            <Input inputMode="decimal" placeholder={application.amount} style={{ textAlign: 'right' }} />
          </Form.Item>
        )}
        <Form.Item label={t('审核意见', 'Reason')} name="reason" rules={[{ required: true, message: t('请填写审核意见', 'Give the reason') }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Space wrap>
          <Button type="primary" onClick={() => void decide('approve')} loading={pending === 'approve'} disabled={submission.submitting}>
            {`${label}${t('通过', ' approve')}`}
          </Button>
          <Button onClick={() => void decide('return')} loading={pending === 'return'} disabled={submission.submitting}>
            {t('退回修改', 'Return for changes')}
          </Button>
          <Button danger onClick={() => void decide('reject')} loading={pending === 'reject'} disabled={submission.submitting}>
            {t('不予通过', 'Reject')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

function RecordObjection({ application, onDone }: { application: Application; onDone(application: Application): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ summary: string }>();
  const submission = useSubmission(form);
  return (
    <>
      <Button onClick={() => setOpen(true)}>{t('登记异议', 'Record an objection')}</Button>
      <FormDialog
        open={open}
        name="objection"
        title={t('登记公示异议', 'Record an objection to the notice')}
        okText={t('登记', 'Record')}
        cancelText={t('取消', 'Cancel')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { summary: string }) => {
          const body = { summary: values.summary.trim() };
          const updated = await submission.submit(body, (key) =>
            api<Application>('POST', `/v1/applications/${application.id}/objections`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          {t('登记后申报进入“异议处理中”，处理完毕前不能发放补贴券。', 'The application is held until the objection is resolved: no voucher meanwhile.')}
        </Typography.Paragraph>
        <Form.Item
          label={t('异议内容摘要', 'Summary of the objection')}
          name="summary"
          rules={[{ required: true, message: t('请填写异议内容', 'Summarise it') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

function ResolveObjection({ application, objection, onDone }: { application: Application; objection: Objection; onDone(application: Application): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ outcome: 'upheld' | 'dismissed'; reason: string }>();
  const submission = useSubmission(form);
  return (
    <>
      <Button size="small" type="primary" onClick={() => setOpen(true)}>
        {t('处理异议', 'Resolve')}
      </Button>
      <FormDialog
        open={open}
        name="resolveObjection"
        title={t('处理异议', 'Resolve the objection')}
        okText={t('提交', 'Submit')}
        cancelText={t('取消', 'Cancel')}
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { outcome: 'upheld' | 'dismissed'; reason: string }) => {
          const body = { outcome: values.outcome, reason: values.reason.trim() };
          const updated = await submission.submit(body, (key) =>
            api<Application>('POST', `/v1/applications/${application.id}/objections/${objection.id}/resolve`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Typography.Paragraph>{objection.summary}</Typography.Paragraph>
        <Form.Item label={t('处理结果', 'Outcome')} name="outcome" rules={[{ required: true, message: t('请选择处理结果', 'Choose the outcome') }]}>
          <Radio.Group
            options={[
              { value: 'dismissed', label: t('异议不成立（继续公示）', 'Dismissed (the notice goes on)') },
              { value: 'upheld', label: t('异议成立', 'Upheld') },
            ]}
          />
        </Form.Item>
        <Form.Item label={t('处理理由', 'Reason')} name="reason" rules={[{ required: true, message: t('请填写处理理由', 'Give the reason') }]}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

/** A voucher for the approved amount, once the notice has ended with no objection open. */
function Grant({ application, onDone }: { application: Application; onDone(voucher: Voucher): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ expiresOn: dayjs.Dayjs }>();
  const submission = useSubmission(form);
  const today = todayInShanghai();
  const openObjection = application.objections.some((objection) => objection.status === 'open');
  const noticeEnded = application.notice !== null && application.notice.endsOn < today;
  const ready = application.status === 'approved' && noticeEnded && !openObjection;
  return (
    <Card title={t('发放补贴券', 'Grant the voucher')} style={{ marginBottom: 16 }}>
      {!ready && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={
            openObjection
              ? t('有未处理的异议，处理完毕后方可发券。', 'An objection is open: resolve it first.')
              : t(
                  `公示期至 ${application.notice?.endsOn ?? '—'} 结束，期满后方可发券。`,
                  `The notice runs until ${application.notice?.endsOn ?? '—'}: the voucher can be granted after it.`,
                )
          }
        />
      )}
      <Form
        form={form}
        name="grant"
        layout="vertical"
        initialValues={{ expiresOn: dayjs(today).add(1, 'year') }}
        onFinish={async (values) => {
          const body = { expiresOn: values.expiresOn.format('YYYY-MM-DD') };
          const voucher = await submission.submit(body, (key) =>
            api<Voucher>('POST', `/v1/applications/${application.id}/grant`, { body, idempotencyKey: key }),
          );
          if (voucher) onDone(voucher);
        }}
      >
        <Typography.Paragraph>
          {t('券面金额', 'Amount')} {formatYuan(application.approvedAmount)} · {application.enterprise.name}
        </Typography.Paragraph>
        <Form.Item label={t('有效期至', 'Expires on')} name="expiresOn" rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} disabled={!ready} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" disabled={!ready} loading={submission.submitting}>
          {t('发放补贴券', 'Grant the voucher')}
        </Button>
      </Form>
    </Card>
  );
}

/** A returned application, answered: its fields as they were, to change and send again. */
function Resubmit({ application, onDone }: { application: Application; onDone(application: Application): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ApplicationValues>();
  const submission = useSubmission(form);
  const [documents, setDocuments] = useState<DocumentMeta[]>(application.documents);
  const [initial] = useState(() => valuesOf(application));
  const returned = [...application.history].reverse().find((item) => item.decision === 'return');
  return (
    <Card title={t('修改后重新提交', 'Change and resubmit')} style={{ marginBottom: 16 }} data-testid="resubmit">
      {returned?.reason && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('退回理由', 'Returned because')} description={returned.reason} />
      )}
      <ApplicationForm
        name="resubmit"
        form={form}
        programs={[]}
        programFixed
        initialValues={initial}
        documents={documents}
        onDocuments={setDocuments}
        onFinish={async (values) => {
          const body = toBody({ ...values, programId: application.programId }, documents);
          const updated = await submission.submit(body, (key) =>
            api<Application>('POST', `/v1/applications/${application.id}/resubmit`, { body, idempotencyKey: key }),
          );
          if (updated) onDone(updated);
        }}
        problem={submission.problem}
        onCloseProblem={submission.clear}
        submitting={submission.submitting}
        submitText={t('重新提交', 'Resubmit')}
      />
    </Card>
  );
}

function objectionStatus(status: Objection['status'], t: Translate) {
  const names = {
    open: [t('待处理', 'open'), 'gold'],
    upheld: [t('异议成立', 'upheld'), 'red'],
    dismissed: [t('异议不成立', 'dismissed'), 'default'],
  } as const;
  const [name, color] = names[status] ?? [status, 'default'];
  return <Tag color={color}>{name}</Tag>;
}

export default function ApplicationDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const application = useLoad((signal) => get<Application>(`/v1/applications/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [granted, setGranted] = useState<Voucher | null>(null);
  const [downloadProblem, setDownloadProblem] = useState<unknown>(null);
  if (application.error) return <ProblemAlert problem={application.error} />;
  const a = application.data;
  if (!a) return null;
  const issuer = claims.role === 'issuer' && claims.region === a.region;
  const enterprise = claims.role === 'enterprise';
  const inNotice = a.status === 'approved' || a.status === 'on_hold';
  const voucherId = granted?.id ?? a.voucherId;
  const objectionColumns: Columns<Objection> = [
    { title: t('异议内容', 'Objection'), dataIndex: 'summary', key: 'summary' },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: Objection['status']) => objectionStatus(status, t) },
    {
      title: t('登记', 'Recorded'),
      key: 'received',
      render: (_, objection) => `${formatDateTime(objection.receivedAt)} · ${objection.receivedBy}`,
    },
    {
      title: t('处理', 'Resolved'),
      key: 'resolved',
      render: (_, objection) =>
        objection.resolvedAt ? (
          <>
            {formatDateTime(objection.resolvedAt)} · {objection.resolvedBy}
            {objection.reason && <div>{objection.reason}</div>}
          </>
        ) : issuer ? (
          <ResolveObjection application={a} objection={objection} onDone={application.set} />
        ) : (
          '—'
        ),
    },
  ];
  const declarations: [keyof Application['declarations'], string][] = [
    ['noRelatedPartyContracts', t('不涉及关联交易合同', 'no related-party contract')],
    ['noOtherPublicFunding', t('未获其他财政资金支持', 'no other public funding')],
    ['noDishonestyRecord', t('无失信记录', 'no dishonesty record')],
  ];
  return (
    <>
      <PageTitle extra={<ApplicationStatus status={a.status} />}>
        {t('申报', 'Application')} · {a.enterprise.name}
      </PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={issuer || (enterprise && a.status === 'returned') ? 14 : 24}>
          <Card style={{ marginBottom: 16 }} title={t('申报信息', 'The application')}>
            <Descriptions size="small" column={2} data-testid="application-summary">
              <Descriptions.Item label={t('企业', 'Enterprise')}>
                {a.enterprise.name}（{a.enterprise.uscc}）
              </Descriptions.Item>
              <Descriptions.Item label={t('项目', 'Program')}>
                {claims.role === 'enterprise' ? a.programName : <Link to={`/programs/${a.programId}`}>{a.programName}</Link>}
              </Descriptions.Item>
              <Descriptions.Item label={t('券种', 'Kind')}>{kindName(a.kind, t)}</Descriptions.Item>
              <Descriptions.Item label={t('地区', 'Region')}>{regionName(a.region, language)}</Descriptions.Item>
              <Descriptions.Item label={t('申请金额', 'Asked for')}>{formatYuan(a.amount)}</Descriptions.Item>
              <Descriptions.Item label={t('核定金额', 'Approved amount')}>
                <span data-testid="approved-amount">{formatYuan(a.approvedAmount)}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('用途', 'Purpose')} span={2}>
                {a.purpose}
              </Descriptions.Item>
              <Descriptions.Item label={t('承诺事项', 'Declarations')} span={2}>
                {declarations.map(([key, text]) => (
                  <Tag key={key} color={a.declarations[key] ? 'green' : 'red'}>
                    {a.declarations[key] ? '✓' : '✗'} {text}
                  </Tag>
                ))}
              </Descriptions.Item>
              <Descriptions.Item label={t('版本', 'Revision')}>{a.revision}</Descriptions.Item>
              <Descriptions.Item label={t('提交时间', 'Submitted')}>{formatDateTime(a.submittedAt)}</Descriptions.Item>
              <Descriptions.Item label={t('申报编号', 'Id')}>{a.id}</Descriptions.Item>
              <Descriptions.Item label={t('补贴券', 'Voucher')}>{voucherId ? <Link to={`/vouchers/${voucherId}`}>{voucherId}</Link> : '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
          {a.notice && (
            <Card style={{ marginBottom: 16 }} title={t('公示', 'Public notice')}>
              <Descriptions size="small" column={2} data-testid="application-notice">
                <Descriptions.Item label={t('公示期', 'Notice period')}>
                  {a.notice.startsOn} – {a.notice.endsOn}
                </Descriptions.Item>
                <Descriptions.Item label={t('工作日数', 'Working days')}>{a.notice.workingDays}</Descriptions.Item>
                <Descriptions.Item label={t('复审通过日', 'Approved on')}>{a.notice.decidedOn}</Descriptions.Item>
                <Descriptions.Item label={t('异议受理', 'Objections to')}>
                  {a.notice.contact.office}，{t('电话', 'tel.')} {a.notice.contact.telephone}
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          <Card style={{ marginBottom: 16 }} title={t('申报材料', 'Documents')}>
            <DocumentList documents={a.documents} />
            {a.documents.length > 0 && (
              <Space wrap style={{ marginTop: 8 }}>
                {a.documents.map((document) => (
                  <Button
                    key={document.sha256}
                    size="small"
                    onClick={() => {
                      setDownloadProblem(null);
                      download(`/v1/documents/${document.sha256}`, undefined, document.name).catch(setDownloadProblem);
                    }}
                  >
                    {t(`下载 ${document.name}`, `Download ${document.name}`)}
                  </Button>
                ))}
              </Space>
            )}
            <ProblemAlert problem={downloadProblem} onClose={() => setDownloadProblem(null)} />
          </Card>
          {(a.objections.length > 0 || (issuer && inNotice)) && (
            <Card
              style={{ marginBottom: 16 }}
              title={t('公示异议', 'Objections')}
              extra={issuer && inNotice ? <RecordObjection application={a} onDone={application.set} /> : undefined}
            >
              <Table rowKey="id" size="small" pagination={false} columns={objectionColumns} dataSource={a.objections} data-testid="objections" />
            </Card>
          )}
          <Card title={t('办理记录', 'History')}>
            <ApplicationHistory history={a.history} />
          </Card>
        </Col>
        {issuer && (
          <Col xs={24} lg={10}>
            <Review application={a} onDone={application.set} />
            {(a.status === 'approved' || a.status === 'on_hold') && (
              <Grant
                application={a}
                onDone={(voucher) => {
                  setGranted(voucher);
                  application.reload();
                }}
              />
            )}
            {granted && (
              <Alert
                type="success"
                showIcon
                data-testid="granted"
                title={t('补贴券已发放', 'Voucher granted')}
                description={
                  <Link to={`/vouchers/${granted.id}`}>
                    {t('查看补贴券', 'See the voucher')} {granted.id} · {formatYuan(granted.amount)}
                  </Link>
                }
              />
            )}
          </Col>
        )}
        {enterprise && a.status === 'returned' && (
          <Col xs={24} lg={10}>
            <Resubmit application={a} onDone={application.set} />
          </Col>
        )}
      </Row>
    </>
  );
}
