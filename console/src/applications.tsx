// What the enterprise's and the issuer's application pages share: the status and history in words, the
// application form (apply and resubmit), and the document upload.
import { AutoComplete, Button, Checkbox, Col, Form, type FormInstance, Input, Row, Space, Tag, Timeline, Typography, Upload } from 'antd';
import { type Dispatch, type SetStateAction, useState } from 'react';
import { api, ApiError } from './api';
import { AMOUNT_PATTERN, ProblemAlert } from './components';
import { formatDateTime, formatYuan } from './format';
import { type Translate, useI18n } from './i18n';
import { RoleName } from './Shell';
import type { Application, ApplicationBody, DocumentMeta } from './types';

/** The statuses of an application, in words and a colour, as the enterprise and the issuer see them. */
export function applicationStatusName(status: string, t: Translate): [string, string] {
  const names: Record<string, [string, string]> = {
    submitted: [t('已提交', 'submitted'), 'blue'],
    first_approved: [t('初审通过', 'first review passed'), 'cyan'],
    approved: [t('公示中/已通过', 'in public notice / approved'), 'green'],
    returned: [t('已退回', 'returned'), 'orange'],
    rejected: [t('未通过', 'rejected'), 'red'],
    on_hold: [t('异议处理中', 'objection pending'), 'volcano'],
    granted: [t('已发券', 'voucher granted'), 'purple'],
  };
  return names[status] ?? [status, 'default'];
}

export function ApplicationStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const [name, color] = applicationStatusName(status, t);
  return (
    <Tag color={color} data-testid="application-status">
      {name}
    </Tag>
  );
}

/** A public notice's state: upcoming, open, ended, held by an objection, or its voucher granted. */
export function NoticeState({ state: status }: { state: string }) {
  const { t } = useI18n();
  const names: Record<string, [string, string]> = {
    open: [t('公示中', 'in notice'), 'green'],
    ended: [t('公示期满', 'notice ended'), 'default'],
    on_hold: [t('异议处理中', 'objection pending'), 'volcano'],
    granted: [t('已发券', 'voucher granted'), 'purple'],
    upcoming: [t('待公示', 'upcoming'), 'blue'],
  };
  const name = names[status];
  return <Tag color={name?.[1]}>{name?.[0] ?? status}</Tag>;
}

type HistoryItem = Application['history'][number];

function stageName(stage: string | null | undefined, t: Translate): string {
  return stage === 'first' ? t('初审', 'First review') : stage === 'final' ? t('复审', 'Final review') : t('审核', 'Review');
}

/** One line of the history in words: what was done (the reason follows separately). */
export function historyAction(item: HistoryItem, t: Translate): string {
  switch (item.action) {
    case 'submitted':
      return t('提交申报', 'Submitted');
    case 'resubmitted':
      return t(`重新提交（第 ${item.revision} 版）`, `Resubmitted (revision ${item.revision})`);
    case 'reviewed': {
      const stage = stageName(item.stage, t);
      const decisions: Record<string, string> = {
        approve: t('通过', 'approved'),
        return: t('退回修改', 'returned for changes'),
        reject: t('不予通过', 'rejected'),
      };
      const amount = item.decision === 'approve' && item.amount ? t(`，核定金额 ${formatYuan(item.amount)}`, `, amount ${formatYuan(item.amount)}`) : '';
      return `${stage}${t('', ': ')}${decisions[item.decision ?? ''] ?? item.decision ?? ''}${amount}`;
    }
    case 'notice_opened':
      return t('进入公示', 'Public notice opened');
    case 'objection_recorded':
      return t('收到异议', 'Objection recorded');
    case 'objection_resolved':
      return item.outcome === 'upheld'
        ? t('异议处理：异议成立', 'Objection resolved: upheld')
        : item.outcome === 'dismissed'
          ? t('异议处理：异议不成立', 'Objection resolved: dismissed')
          : t('异议已处理', 'Objection resolved');
    case 'granted':
      return t('发放补贴券', 'Voucher granted');
    default:
      return item.action;
  }
}

/** The whole history, oldest first: who, when, what, why. */
export function ApplicationHistory({ history }: { history: Application['history'] }) {
  const { t } = useI18n();
  return (
    <Timeline
      data-testid="application-history"
      items={history.map((item, index) => ({
        key: index,
        color: item.decision === 'reject' ? 'red' : item.decision === 'return' ? 'orange' : item.action === 'granted' ? 'purple' : 'blue',
        content: (
          <div>
            <Typography.Text strong>{historyAction(item, t)}</Typography.Text>
            <div>
              <Typography.Text type="secondary">
                {formatDateTime(item.at)} · <RoleName role={item.by.role} /> {item.by.sub}
              </Typography.Text>
            </div>
            {item.reason && (
              <div>
                {item.action === 'objection_recorded' ? t('内容：', 'Summary: ') : t('理由：', 'Reason: ')}
                {item.reason}
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

export const shortHash = (sha256: string) => `${sha256.slice(0, 12)}…`;

function byteSize(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

/** The documents of an application: name, size and the start of its SHA-256 (what the record cites). */
export function DocumentList({ documents, onRemove }: { documents: DocumentMeta[]; onRemove?: (sha256: string) => void }) {
  const { t } = useI18n();
  if (!documents.length) return <Typography.Text type="secondary">{t('（无）', '(none)')}</Typography.Text>;
  return (
    <ul style={{ paddingInlineStart: 20, margin: 0 }} data-testid="documents">
      {documents.map((document) => (
        <li key={document.sha256}>
          <Space wrap>
            <Typography.Text>{document.name}</Typography.Text>
            <Typography.Text type="secondary">{byteSize(document.size)}</Typography.Text>
            <Typography.Text code title={document.sha256}>
              SHA-256 {shortHash(document.sha256)}
            </Typography.Text>
            {onRemove && (
              <Button size="small" type="link" onClick={() => onRemove(document.sha256)} aria-label={t(`移除 ${document.name}`, `Remove ${document.name}`)}>
                {t('移除', 'Remove')}
              </Button>
            )}
          </Space>
        </li>
      ))}
    </ul>
  );
}

/** Uploads each chosen file to POST /v1/documents (its bytes, with the token) and adds what the server stored. */
export function DocumentUpload({ documents, onChange }: { documents: DocumentMeta[]; onChange: Dispatch<SetStateAction<DocumentMeta[]>> }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const [uploading, setUploading] = useState(0);
  return (
    <div>
      <Upload
        multiple
        accept=".pdf,.ofd,.xml,.jpg,.jpeg,.png,application/pdf,application/xml,text/xml,image/jpeg,image/png"
        showUploadList={false}
        customRequest={async ({ file, onSuccess, onError }) => {
          const blob = file as File;
          setProblem(null);
          setUploading((n) => n + 1);
          try {
            const stored = await api<DocumentMeta>('POST', '/v1/documents', {
              query: { name: blob.name },
              file: { contentType: blob.type || 'application/octet-stream', content: blob },
            });
            // Several files may finish at once: each adds to the latest list, not to the one it started with.
            onChange((latest) => [...latest.filter((d) => d.sha256 !== stored.sha256), stored]);
            onSuccess?.(stored);
          } catch (err) {
            setProblem(err);
            onError?.(err instanceof ApiError ? err : new Error(String(err)));
          } finally {
            setUploading((n) => n - 1);
          }
        }}
      >
        <Button loading={uploading > 0}>{t('上传材料（PDF、OFD、XML、JPG、PNG）', 'Upload documents (PDF, OFD, XML, JPG, PNG)')}</Button>
      </Upload>
      <div style={{ marginTop: 8 }}>
        <DocumentList documents={documents} onRemove={(sha256) => onChange((latest) => latest.filter((d) => d.sha256 !== sha256))} />
      </div>
      <ProblemAlert problem={problem} onClose={() => setProblem(null)} />
    </div>
  );
}

export interface ApplicationValues {
  programId: string;
  enterpriseName: string;
  amount: string;
  purpose: string;
  declarations: string[];
}

export const DECLARATIONS = ['noRelatedPartyContracts', 'noOtherPublicFunding', 'noDishonestyRecord'] as const;

export function toBody(values: ApplicationValues, documents: DocumentMeta[]): ApplicationBody {
  const declared = new Set(values.declarations ?? []);
  return {
    programId: values.programId.trim(),
    enterpriseName: values.enterpriseName.trim(),
    amount: values.amount.trim(),
    purpose: values.purpose.trim(),
    declarations: {
      noRelatedPartyContracts: declared.has('noRelatedPartyContracts'),
      noOtherPublicFunding: declared.has('noOtherPublicFunding'),
      noDishonestyRecord: declared.has('noDishonestyRecord'),
    },
    documents: documents.map((document) => document.sha256),
  };
}

export function valuesOf(application: Application): ApplicationValues {
  return {
    programId: application.programId,
    enterpriseName: application.enterprise.name,
    amount: application.amount,
    purpose: application.purpose,
    declarations: DECLARATIONS.filter((key) => application.declarations[key]),
  };
}

/**
 * The application form, for a new application and for a returned one's resubmission (the program fixed then):
 * the program, the enterprise's name, the amount asked for, its purpose, the three declarations, the documents.
 */
export function ApplicationForm({
  name,
  form,
  programs,
  programFixed,
  initialValues,
  documents,
  onDocuments,
  onFinish,
  problem,
  onCloseProblem,
  submitting,
  submitText,
}: {
  name: string;
  form: FormInstance<ApplicationValues>;
  programs: { value: string; label: string }[];
  programFixed?: boolean;
  initialValues?: ApplicationValues;
  documents: DocumentMeta[];
  onDocuments: Dispatch<SetStateAction<DocumentMeta[]>>;
  onFinish(values: ApplicationValues): void;
  problem: unknown;
  onCloseProblem(): void;
  submitting: boolean;
  submitText: string;
}) {
  const { t } = useI18n();
  const [documentsMissing, setDocumentsMissing] = useState(false);
  const declarationOptions = [
    { value: 'noRelatedPartyContracts', label: t('本次申报不涉及关联交易合同', 'No contract with a related party') },
    { value: 'noOtherPublicFunding', label: t('本次申报内容未获其他财政资金支持', 'No other public funding for the same work') },
    { value: 'noDishonestyRecord', label: t('本企业无失信记录', 'No record of dishonesty') },
  ];
  return (
    <Form
      form={form}
      name={name}
      layout="vertical"
      onFinish={(values: ApplicationValues) => {
        setDocumentsMissing(documents.length === 0);
        if (documents.length) onFinish(values);
      }}
      onFinishFailed={() => setDocumentsMissing(documents.length === 0)}
      initialValues={initialValues ?? { declarations: [] }}
    >
      <Form.Item
        label={t('项目编号', 'Program')}
        name="programId"
        rules={[{ required: true, message: t('请选择或填写申报的项目编号', 'Choose or enter the program') }]}
        extra={programFixed ? undefined : t('可从列表选择正在受理申报的项目，或直接填写项目编号', 'Choose a program taking applications, or enter its id')}
      >
        {programFixed ? (
          <Input disabled />
        ) : (
          // A program the list suggests, or any program id typed in.
          <AutoComplete
            options={programs}
            placeholder={t('选择或填写项目编号', 'Choose or enter a program id')}
            showSearch={{
              filterOption: (input, option) => `${option?.label ?? ''} ${option?.value ?? ''}`.toLowerCase().includes(input.trim().toLowerCase()),
            }}
          />
        )}
      </Form.Item>
      <Form.Item label={t('企业名称', 'Enterprise name')} name="enterpriseName" rules={[{ required: true, message: t('请输入企业名称', 'Enter the name') }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item
        label={t('申请金额（元）', 'Amount asked for (yuan)')}
        name="amount"
        rules={[
          { required: true, message: t('请输入申请金额', 'Enter the amount') },
          { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'An amount with at most two decimals') },
        ]}
      >
        <Input inputMode="decimal" placeholder="500000.00" style={{ textAlign: 'right' }} />
      </Form.Item>
      <Form.Item label={t('用途', 'Purpose')} name="purpose" rules={[{ required: true, message: t('请说明资金用途', 'Say what it is for') }]}>
        <Input.TextArea rows={3} maxLength={2000} />
      </Form.Item>
      <Form.Item
        label={t('承诺事项', 'Declarations')}
        name="declarations"
        required
        rules={[
          {
            validator: (_, value: string[] | undefined) =>
              (value ?? []).length === DECLARATIONS.length
                ? Promise.resolve()
                : Promise.reject(new Error(t('三项承诺均须勾选', 'All three declarations are required'))),
          },
        ]}
      >
        <Checkbox.Group>
          <Row>
            {declarationOptions.map((option) => (
              <Col span={24} key={option.value}>
                <Checkbox value={option.value}>{option.label}</Checkbox>
              </Col>
            ))}
          </Row>
        </Checkbox.Group>
      </Form.Item>
      <Form.Item
        label={t('申报材料', 'Documents')}
        required
        validateStatus={documentsMissing && !documents.length ? 'error' : undefined}
        help={documentsMissing && !documents.length ? t('请上传至少一份申报材料', 'Upload at least one document') : undefined}
      >
        <DocumentUpload documents={documents} onChange={onDocuments} />
      </Form.Item>
      <ProblemAlert problem={problem} onClose={onCloseProblem} />
      <Button type="primary" htmlType="submit" loading={submitting}>
        {submitText}
      </Button>
    </Form>
  );
}
