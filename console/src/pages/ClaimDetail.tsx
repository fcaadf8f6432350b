// One claim (a redemption of a program with claims, decision 0041), as each party sees it: the figures side by
// side, both parties' documents, the history, and what the signed-in role may do next.
import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, get } from '../api';
import { DocumentUpload } from '../applications';
import { useSession } from '../auth';
import { ClaimDocuments, ClaimFigures, ClaimHistory, ClaimStatus, ClaimSummary, isOpen, lastReason } from '../claims';
import { AMOUNT_PATTERN, FormDialog, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatYuan, toFen } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Claim, DocumentMeta, Redemption, Voucher } from '../types';

type Done = (redemption: Redemption) => void;

/** A documents field: how many are needed, and the message when there are fewer or too many. */
function useDocumentsRule(min: number, max: number) {
  const { t } = useI18n();
  const [checked, setChecked] = useState(false);
  return {
    check(documents: DocumentMeta[]) {
      setChecked(true);
      return documents.length >= min && documents.length <= max;
    },
    status(documents: DocumentMeta[]) {
      if (!checked || (documents.length >= min && documents.length <= max)) return {};
      return {
        validateStatus: 'error' as const,
        help:
          documents.length < min
            ? t(`请上传至少 ${min} 份材料`, `Upload at least ${min} document${min > 1 ? 's' : ''}`)
            : t(`最多 ${max} 份材料`, `At most ${max} documents`),
      };
    },
  };
}

/** The enterprise confirms what it actually paid, with its proof of payment; or disputes the claim. */
function Confirm({ redemption, claim, onDone }: { redemption: Redemption; claim: Claim; onDone: Done }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ paidAmount: string }>();
  const submission = useSubmission(form);
  const [documents, setDocuments] = useState<DocumentMeta[]>([]);
  const rule = useDocumentsRule(1, 20);
  return (
    <Card title={t('确认核销', 'Confirm the claim')} style={{ marginBottom: 16 }} data-testid="confirm-claim">
      <Typography.Paragraph>
        {t(
          `服务商申报执行金额 ${formatYuan(claim.executedAmount)}。请填写贵企业实际支付的金额并上传付款凭证（银行回单等）；补贴按申报金额与实付金额孰低核定。`,
          `The provider claims ${formatYuan(claim.executedAmount)} executed. Enter what you actually paid and upload the proof of payment (a bank slip); the subsidy is decided on the lower of the two.`,
        )}
      </Typography.Paragraph>
      {claim.confirmationDueOn && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            `请于 ${claim.confirmationDueOn} 前（含当日）确认或提出异议，逾期核销申请自动失效。`,
            `Confirm or dispute by ${claim.confirmationDueOn} (inclusive); after it the claim lapses.`,
          )}
        />
      )}
      <Form
        form={form}
        name="confirm"
        layout="vertical"
        onFinish={async (values) => {
          if (!rule.check(documents)) return;
          const body = { paidAmount: values.paidAmount.trim(), documents: documents.map((document) => document.sha256) };
          const updated = await submission.submit(body, (key) =>
            api<Redemption>('POST', `/v1/redemptions/${redemption.id}/confirm`, { body, idempotencyKey: key }),
          );
          if (updated) onDone(updated);
        }}
        onFinishFailed={() => rule.check(documents)}
      >
        <Form.Item
          label={t('实际支付金额（元）', 'Amount actually paid (yuan)')}
          name="paidAmount"
          rules={[
            { required: true, message: t('请填写实际支付金额', 'Enter the amount paid') },
            { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'An amount with at most two decimals') },
          ]}
        >
          <Input inputMode="decimal" placeholder={claim.executedAmount} style={{ textAlign: 'right' }} />
        </Form.Item>
        <Form.Item label={t('付款凭证', 'Proof of payment')} required {...rule.status(documents)}>
          <DocumentUpload documents={documents} onChange={setDocuments} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('确认核销', 'Confirm')}
        </Button>
      </Form>
    </Card>
  );
}

function Dispute({ redemption, onDone }: { redemption: Redemption; onDone: Done }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const submission = useSubmission(form);
  return (
    <Card title={t('对核销有异议', 'Dispute the claim')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        {t(
          '如服务未交付、金额不符或材料有误，可提出异议；服务商可补充材料后重新提交或撤回。',
          'If the service was not delivered, the amount is wrong or the documents are not right, dispute it: the provider may resubmit or withdraw.',
        )}
      </Typography.Paragraph>
      <Button danger onClick={() => setOpen(true)}>
        {t('提出异议', 'Dispute')}
      </Button>
      <FormDialog
        open={open}
        name="dispute"
        title={t('提出异议', 'Dispute the claim')}
        okText={t('提交异议', 'Dispute')}
        cancelText={t('取消', 'Cancel')}
        danger
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { reason: string }) => {
          const body = { reason: values.reason.trim() };
          const updated = await submission.submit(body, (key) =>
            api<Redemption>('POST', `/v1/redemptions/${redemption.id}/dispute`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Form.Item
          label={t('异议理由', 'Reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('请填写异议理由', 'Give the reason') }]}
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </Card>
  );
}

/** The provider answers a dispute or a return: its documents again (changed or added to) and a note. */
function Resubmit({ redemption, claim, onDone }: { redemption: Redemption; claim: Claim; onDone: Done }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ note: string }>();
  const submission = useSubmission(form);
  const [documents, setDocuments] = useState<DocumentMeta[]>(() => claim.documents.filter((document) => document.from === 'provider'));
  const rule = useDocumentsRule(2, 20);
  const why = lastReason(claim);
  return (
    <Card title={t('补充材料后重新提交', 'Resubmit with documents')} style={{ marginBottom: 16 }} data-testid="resubmit-claim">
      {why?.reason && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={redemption.status === 'disputed' ? t('企业异议理由', 'The enterprise disputes it because') : t('退回理由', 'Returned because')}
          description={why.reason}
        />
      )}
      <Form
        form={form}
        name="resubmit"
        layout="vertical"
        onFinish={async (values) => {
          if (!rule.check(documents)) return;
          const body = { documents: documents.map((document) => document.sha256), note: values.note.trim() };
          const updated = await submission.submit(body, (key) =>
            api<Redemption>('POST', `/v1/redemptions/${redemption.id}/resubmit`, { body, idempotencyKey: key }),
          );
          if (updated) {
            form.resetFields();
            onDone(updated);
          }
        }}
        onFinishFailed={() => rule.check(documents)}
      >
        <Form.Item
          label={t('核销材料（合同、发票等，2–20 份）', 'Documents (contract, invoice…; 2 to 20)')}
          required
          {...rule.status(documents)}
          extra={t('原材料已列出，可移除或补充。', 'The documents cited so far are listed: remove or add to them.')}
        >
          <DocumentUpload documents={documents} onChange={setDocuments} />
        </Form.Item>
        <Form.Item label={t('补正说明', 'Note')} name="note" rules={[{ required: true, whitespace: true, message: t('请说明补正内容', 'Say what changed') }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('重新提交', 'Resubmit')}
        </Button>
      </Form>
    </Card>
  );
}

function Withdraw({ redemption, onDone }: { redemption: Redemption; onDone: Done }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const submission = useSubmission(form);
  return (
    <Card title={t('撤回核销申请', 'Withdraw the claim')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        {t(
          '撤回后预留的补贴退回补贴券；该发票号不能再次申报，金额有误的发票须红冲后重开新号再申报。',
          'Withdrawn, the reserved subsidy goes back to the voucher; the invoice number cannot be claimed again: a wrong invoice is reversed and reissued under a new number.',
        )}
      </Typography.Paragraph>
      <Button danger onClick={() => setOpen(true)}>
        {t('撤回', 'Withdraw')}
      </Button>
      <FormDialog
        open={open}
        name="withdraw"
        title={t(`撤回核销申请（发票 ${redemption.invoiceNumber}）`, `Withdraw the claim (invoice ${redemption.invoiceNumber})`)}
        okText={t('确认撤回', 'Withdraw')}
        cancelText={t('取消', 'Cancel')}
        danger
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async (values: { reason: string }) => {
          const body = { reason: values.reason.trim() };
          const updated = await submission.submit(body, (key) =>
            api<Redemption>('POST', `/v1/redemptions/${redemption.id}/withdraw`, { body, idempotencyKey: key }),
          );
          if (updated) {
            setOpen(false);
            onDone(updated);
          }
        }}
      >
        <Form.Item
          label={t('撤回原因', 'Reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('请填写撤回原因', 'Give the reason') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </Card>
  );
}

type Decision = 'approve' | 'return' | 'reject';

/** The issuer's decision on a confirmed claim, each with its reason. */
function Review({ redemption, onDone }: { redemption: Redemption; onDone: Done }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  const submission = useSubmission(form);
  const [pending, setPending] = useState<Decision | null>(null);
  async function decide(decision: Decision) {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const body = { decision, reason: values.reason.trim() };
    setPending(decision);
    const updated = await submission.submit(body, (key) => api<Redemption>('POST', `/v1/redemptions/${redemption.id}/review`, { body, idempotencyKey: key }));
    setPending(null);
    if (updated) {
      form.resetFields();
      onDone(updated);
    }
  }
  return (
    <Card title={t('审核', 'Review')} style={{ marginBottom: 16 }} data-testid="review-claim">
      <Typography.Paragraph type="secondary">
        {t(
          '核准：按申报与实付孰低核定补贴，计入应付，多预留部分释放；退回：服务商补正后重新提交；驳回：预留全部释放，发票号不得再次申报。',
          'Approve: the subsidy on the lower of claimed and paid becomes owed, the rest is released. Return: the provider corrects and resubmits. Reject: the reservation is released and the invoice may not be claimed again.',
        )}
      </Typography.Paragraph>
      <Form form={form} name="claimReview" layout="vertical">
        <Form.Item
          label={t('审核意见', 'Reason')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('请填写审核意见', 'Give the reason') }]}
        >
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Space wrap>
          <Button type="primary" onClick={() => void decide('approve')} loading={pending === 'approve'} disabled={submission.submitting}>
            {t('核准', 'Approve')}
          </Button>
          <Button onClick={() => void decide('return')} loading={pending === 'return'} disabled={submission.submitting}>
            {t('退回补正', 'Return for correction')}
          </Button>
          <Button danger onClick={() => void decide('reject')} loading={pending === 'reject'} disabled={submission.submitting}>
            {t('驳回', 'Reject')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

/** Where each role's list of claims is. */
const LISTS = {
  provider: { path: '/redemptions', zh: '返回核销记录', en: 'Back to redemptions' },
  enterprise: { path: '/claims', zh: '返回待确认核销', en: 'Back to claims' },
  issuer: { path: '/claim-reviews', zh: '返回核销审核', en: 'Back to claim review' },
  auditor: { path: '/ledger', zh: '返回账本', en: 'Back to the ledger' },
} as const;

export default function ClaimDetail() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const { claims: session } = useSession();
  const loaded = useLoad((signal) => get<Redemption>(`/v1/redemptions/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const voucherId = loaded.data?.voucherId;
  // The enterprise's name, for the issuer (a provider reads nothing of the holder; the enterprise is itself).
  const voucher = useLoad(
    (signal) => (session.role === 'issuer' && voucherId ? get<Voucher>(`/v1/vouchers/${voucherId}`, undefined, signal) : Promise.resolve(undefined)),
    // Read again after each decision: an approval or a release changes the voucher's balance.
    [voucherId, session.role, loaded.data?.status],
  );
  const list = LISTS[session.role];
  const back = <Link to={list.path}>{t(list.zh, list.en)}</Link>;
  if (loaded.error)
    return (
      <>
        <ProblemAlert problem={loaded.error} />
        {back}
      </>
    );
  const r = loaded.data;
  if (!r) return null;
  const claim = r.claim;
  if (!claim)
    return (
      <>
        <PageTitle extra={back}>{t(`核销 · 发票 ${r.invoiceNumber}`, `Redemption · invoice ${r.invoiceNumber}`)}</PageTitle>
        <Alert
          type="info"
          showIcon
          title={t('该核销所属项目无需企业确认或审核，提交即计应付。', 'This program’s redemptions need no confirmation or review.')}
        />
      </>
    );
  const role = session.role;
  const open = isOpen(r.status);
  const actions =
    role === 'enterprise' && r.status === 'awaiting_confirmation' ? (
      <>
        <Confirm redemption={r} claim={claim} onDone={loaded.set} />
        <Dispute redemption={r} onDone={loaded.set} />
      </>
    ) : role === 'provider' && open ? (
      <>
        {(r.status === 'disputed' || r.status === 'returned') && <Resubmit redemption={r} claim={claim} onDone={loaded.set} />}
        <Withdraw redemption={r} onDone={loaded.set} />
      </>
    ) : role === 'issuer' && r.status === 'awaiting_review' ? (
      <Review redemption={r} onDone={loaded.set} />
    ) : null;
  const why = lastReason(claim);
  const ended = r.status === 'rejected' || r.status === 'withdrawn' || r.status === 'lapsed';
  return (
    <>
      <PageTitle
        extra={
          <Space>
            <ClaimStatus status={r.status} />
            {back}
          </Space>
        }
      >
        {t(`核销申请 · 发票 ${r.invoiceNumber}`, `Claim · invoice ${r.invoiceNumber}`)}
      </PageTitle>
      {why && (r.status === 'disputed' || r.status === 'returned' || ended) && (
        <Alert
          type={r.status === 'rejected' ? 'error' : 'warning'}
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="claim-reason"
          title={t('原因', 'Why')}
          description={why.reason}
        />
      )}
      <Row gutter={16}>
        <Col xs={24} lg={actions ? 15 : 24}>
          <Card title={t('金额对照', 'The figures side by side')} style={{ marginBottom: 16 }}>
            <ClaimFigures redemption={r} claim={claim} />
          </Card>
          <ClaimSummary redemption={r} claim={claim} />
          {voucher.data && (
            <Card title={t('受益企业', 'Beneficiary')} style={{ marginBottom: 16 }}>
              <Descriptions size="small" column={2}>
                <Descriptions.Item label={t('企业', 'Enterprise')}>
                  <Link to={`/beneficiaries/${voucher.data.beneficiary.uscc}`}>{voucher.data.beneficiary.name}</Link>（{voucher.data.beneficiary.uscc}）
                </Descriptions.Item>
                <Descriptions.Item label={t('补贴券余额', 'Voucher balance')}>{formatYuan(voucher.data.balance)}</Descriptions.Item>
              </Descriptions>
            </Card>
          )}
          <Card title={t('核销材料', 'Documents')} style={{ marginBottom: 16 }}>
            <ClaimDocuments claim={claim} />
          </Card>
          <Card title={t('办理记录', 'History')}>
            <ClaimHistory history={claim.history} />
          </Card>
        </Col>
        {actions && (
          <Col xs={24} lg={9}>
            {actions}
          </Col>
        )}
      </Row>
      {role === 'enterprise' && claim.paidAmount !== null && toFen(claim.paidAmount) > toFen(claim.executedAmount) && (
        <Typography.Paragraph type="secondary">
          {t('实付金额高于申报金额：补贴按申报金额核定。', 'Paid more than claimed: the subsidy is decided on the claimed amount.')}
        </Typography.Paragraph>
      )}
    </>
  );
}
