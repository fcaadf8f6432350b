// What the provider's, the enterprise's and the issuer's claim pages share (decision 0041): a claim's status and
// history in words, its documents by party with their downloads, and the subsidy its confirmed payment supports.
import { Button, Card, Col, Descriptions, Row, Space, Statistic, Tag, Timeline, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { download, get, type Page } from './api';
import { DocumentList } from './applications';
import { ProblemAlert } from './components';
import { formatDateTime, formatRate, formatYuan, fromFen, toFen } from './format';
import { type Translate, useI18n } from './i18n';
import { RoleName } from './Shell';
import type { Claim, ClaimDocument, ClaimHistoryItem, ClaimTerms, Redemption, RedemptionStatus } from './types';

/** A claim's status in words and a colour. */
export function claimStatusName(status: string, t: Translate): [string, string] {
  const names: Record<RedemptionStatus, [string, string]> = {
    awaiting_confirmation: [t('待企业确认', 'awaiting the enterprise’s confirmation'), 'gold'],
    awaiting_review: [t('待审核', 'awaiting review'), 'blue'],
    disputed: [t('企业有异议', 'disputed by the enterprise'), 'volcano'],
    returned: [t('已退回', 'returned'), 'orange'],
    approved: [t('已核准', 'approved'), 'green'],
    rejected: [t('已驳回', 'rejected'), 'red'],
    withdrawn: [t('已撤回', 'withdrawn'), 'default'],
    lapsed: [t('已逾期失效', 'lapsed'), 'default'],
  };
  return names[status as RedemptionStatus] ?? [status, 'default'];
}

export function ClaimStatus({ status }: { status: string }) {
  const { t } = useI18n();
  const [name, color] = claimStatusName(status, t);
  return (
    <Tag color={color} data-testid="claim-status">
      {name}
    </Tag>
  );
}

/** Statuses a claim may still move from: its reservation is held. */
export const OPEN_STATUSES: readonly RedemptionStatus[] = ['awaiting_confirmation', 'awaiting_review', 'disputed', 'returned'];
export const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status);

/** Whether a program's redemptions are claims, and how they are decided, in words. */
export function claimTermsText(terms: ClaimTerms | null | undefined, t: Translate): string {
  if (!terms || (!terms.beneficiaryConfirmation && !terms.review)) return t('直接核销（提交即计应付）', 'Direct (owed on submission)');
  const steps = [
    ...(terms.beneficiaryConfirmation
      ? [t(`企业确认实付金额（${terms.confirmationDays} 日内）`, `the enterprise confirms what it paid (within ${terms.confirmationDays} days)`)]
      : []),
    ...(terms.review ? [t('发放机构审核', 'the issuer reviews')] : []),
  ];
  return t(`凭材料申请、预留补贴：${steps.join('，')}后核准`, `Claims with evidence, the subsidy reserved: approved once ${steps.join(', then ')}`);
}

/** The steps before a claim is owed, as a phrase ("企业确认实付金额、发放机构审核"); either when not known. */
export function claimSteps(terms: Partial<ClaimTerms>, t: Translate): string {
  if (terms.beneficiaryConfirmation === undefined && terms.review === undefined)
    return t('企业确认或发放机构审核', 'the enterprise confirms or the issuer approves');
  const steps = [
    ...(terms.beneficiaryConfirmation
      ? [
          terms.confirmationDays
            ? t(`企业确认实付金额（${terms.confirmationDays} 日内）`, `the enterprise confirms what it paid (within ${terms.confirmationDays} days)`)
            : t('企业确认实付金额', 'the enterprise confirms what it paid'),
        ]
      : []),
    ...(terms.review ? [t('发放机构审核', 'the issuer approves')] : []),
  ];
  return steps.join(t('、', ', then '));
}

/** One line of a claim's history in words: what was done (the reason follows). */
export function claimAction(item: ClaimHistoryItem, t: Translate): string {
  switch (item.action) {
    case 'submitted':
      return t('服务商提交核销申请，预留补贴', 'Submitted by the provider; the subsidy reserved');
    case 'confirmed':
      return item.paidAmount
        ? t(`企业确认，实付 ${formatYuan(item.paidAmount)}`, `Confirmed by the enterprise: ${formatYuan(item.paidAmount)} paid`)
        : t('企业确认', 'Confirmed by the enterprise');
    case 'disputed':
      return t('企业提出异议', 'Disputed by the enterprise');
    case 'resubmitted':
      return t('服务商补充材料后重新提交', 'Resubmitted by the provider');
    case 'returned':
      return t('审核退回补正', 'Returned for correction');
    case 'approved':
      return t('审核通过，核准补贴', 'Approved');
    case 'rejected':
      return t('审核驳回，预留补贴释放', 'Rejected; the reservation released');
    case 'withdrawn':
      return t('服务商撤回，预留补贴释放', 'Withdrawn by the provider; the reservation released');
    case 'lapsed':
      return t('逾期未确认，自动失效，预留补贴释放', 'Lapsed unconfirmed; the reservation released');
    default:
      return item.action;
  }
}

/** The last reason given (a dispute, a return, a rejection, a withdrawal): why the claim stands where it does. */
export function lastReason(claim: Claim | null | undefined): ClaimHistoryItem | undefined {
  return claim ? [...claim.history].reverse().find((item) => item.reason) : undefined;
}

export function ClaimHistory({ history }: { history: ClaimHistoryItem[] }) {
  const { t } = useI18n();
  const colours: Partial<Record<ClaimHistoryItem['action'], string>> = {
    disputed: 'volcano',
    returned: 'orange',
    rejected: 'red',
    approved: 'green',
    withdrawn: 'gray',
    lapsed: 'gray',
  };
  return (
    <Timeline
      data-testid="claim-history"
      items={history.map((item, index) => ({
        key: index,
        color: colours[item.action] ?? 'blue',
        content: (
          <div>
            <Typography.Text strong>{claimAction(item, t)}</Typography.Text>
            <div>
              <Typography.Text type="secondary">
                {formatDateTime(item.at)} · <RoleName role={item.actor.role} /> {item.actor.sub} · {t('账本序号', 'ledger seq')} #{item.ledgerSeq}
              </Typography.Text>
            </div>
            {item.reason && (
              <div>
                {item.action === 'resubmitted' ? t('说明：', 'Note: ') : t('理由：', 'Reason: ')}
                {item.reason}
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** Documents with a download button each (read with the token: the claim's parties, the region's issuers and auditors). */
export function DocumentDownloads({ documents, testId }: { documents: ClaimDocument[]; testId?: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  return (
    <div data-testid={testId}>
      <DocumentList documents={documents} />
      {documents.length > 0 && (
        <Space wrap style={{ marginTop: 8 }}>
          {documents.map((document) => (
            <Button
              key={document.sha256}
              size="small"
              onClick={() => {
                setProblem(null);
                download(`/v1/documents/${document.sha256}`, undefined, document.name).catch(setProblem);
              }}
            >
              {t(`下载 ${document.name}`, `Download ${document.name}`)}
            </Button>
          ))}
        </Space>
      )}
      <ProblemAlert problem={problem} onClose={() => setProblem(null)} />
    </div>
  );
}

/** The claim's evidence side by side: the provider's (contract, invoice) and the enterprise's (proof of payment). */
export function ClaimDocuments({ claim }: { claim: Claim }) {
  const { t } = useI18n();
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Typography.Title level={5}>{t('服务商材料（合同、发票等）', 'From the provider (contract, invoice)')}</Typography.Title>
        <DocumentDownloads documents={claim.documents.filter((document) => document.from === 'provider')} testId="provider-documents" />
      </Col>
      <Col xs={24} md={12}>
        <Typography.Title level={5}>{t('企业材料（付款凭证）', 'From the enterprise (proof of payment)')}</Typography.Title>
        <DocumentDownloads documents={claim.documents.filter((document) => document.from === 'enterprise')} testId="enterprise-documents" />
      </Col>
    </Row>
  );
}

/** floor(rate × amount) in fen, exactly: the rate is a decimal string of at most six decimals ("0.30"). */
export function floorAtRate(rate: string, amount: string): string {
  const match = /^(\d+)(?:\.(\d{1,6}))?$/.exec(rate);
  if (!match) return amount;
  const micro = BigInt(match[1]!) * 1_000_000n + BigInt((match[2] ?? '').padEnd(6, '0'));
  return fromFen((toFen(amount) * micro) / 1_000_000n);
}

const minYuan = (a: string, b: string) => (toFen(a) <= toFen(b) ? a : b);

/**
 * The approval a claim is heading for: the basis is what was claimed, or less when the enterprise confirmed paying
 * less; the subsidy is the rate on it, never more than was reserved. An estimate until approved (the server also
 * applies the cumulative rounding, caps and the contract's room); the approved figures once it is.
 */
export function approvalOf(redemption: Redemption, claim: Claim): { basis: string; approved: string; released: string; estimate: boolean } {
  if (claim.approved !== null && claim.basis !== null)
    return { basis: claim.basis, approved: claim.approved, released: claim.released ?? '0.00', estimate: false };
  const basis = claim.paidAmount !== null ? minYuan(claim.executedAmount, claim.paidAmount) : claim.executedAmount;
  const reserved = claim.reservedAtSubmission;
  const approved = minYuan(floorAtRate(redemption.rate, basis), reserved);
  return { basis, approved, released: fromFen(toFen(reserved) - toFen(approved)), estimate: true };
}

/** What was claimed, what the enterprise says it paid, what is reserved, and what approval gives and releases. */
export function ClaimFigures({ redemption, claim }: { redemption: Redemption; claim: Claim }) {
  const { t } = useI18n();
  const ended = redemption.status === 'rejected' || redemption.status === 'withdrawn' || redemption.status === 'lapsed';
  const approval = approvalOf(redemption, claim);
  const figures: [string, string, string | null][] = [
    ['executed', t('申报执行金额', 'Executed (claimed)'), claim.executedAmount],
    ['paid', t('企业确认实付', 'Paid (confirmed)'), claim.paidAmount],
    ['reserved', t('预留补贴', 'Reserved subsidy'), claim.reservedAtSubmission],
    ...(ended
      ? ([['released', t('已释放', 'Released'), claim.released]] as [string, string, string | null][])
      : ([
          ['approved', approval.estimate ? t('预计核准补贴', 'Expected approval') : t('核准补贴', 'Approved subsidy'), approval.approved],
          ['released', approval.estimate ? t('预计释放额度', 'Expected release') : t('释放额度', 'Released'), approval.released],
        ] as [string, string, string][])),
  ];
  return (
    <>
      <Row gutter={[16, 16]} data-testid="claim-figures">
        {figures.map(([key, title, value]) => (
          <Col flex="1 1 150px" key={key}>
            <Statistic title={title} value={value === null ? '—' : formatYuan(value)} data-testid={`claim-${key}`} />
          </Col>
        ))}
      </Row>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }}>
        <Descriptions.Item label={t('补贴比例', 'Rate')}>{formatRate(redemption.rate)}</Descriptions.Item>
        <Descriptions.Item label={t('核定基数', 'Basis')}>
          {formatYuan(approval.basis)}
          {approval.estimate && claim.paidAmount !== null ? t('（申报与实付孰低）', ' (the lower of claimed and paid)') : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('当前预留', 'Held now')}>{formatYuan(claim.reserved)}</Descriptions.Item>
      </Descriptions>
      {approval.estimate && !ended && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(
            '预计数按补贴比例乘核定基数、以预留为限测算；核准时以账本记录的年度上限、券余额和合同累计为准。',
            'Expected: the rate on the basis, at most what is reserved; approval applies the caps, balance and contract totals as the ledger records them.',
          )}
        </Typography.Paragraph>
      )}
    </>
  );
}

/** The claim's particulars: the redemption it is, its dates and the steps its program requires. */
export function ClaimSummary({ redemption, claim, extra }: { redemption: Redemption; claim: Claim; extra?: ReactNode }) {
  const { t } = useI18n();
  return (
    <Card title={t('核销申请', 'The claim')} style={{ marginBottom: 16 }} extra={extra}>
      <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="claim-summary">
        <Descriptions.Item label={t('发票号', 'Invoice')}>{redemption.invoiceNumber}</Descriptions.Item>
        <Descriptions.Item label={t('执行日期', 'Executed on')}>{redemption.executedOn}</Descriptions.Item>
        <Descriptions.Item label={t('服务商', 'Provider')}>{redemption.providerUscc}</Descriptions.Item>
        <Descriptions.Item label={t('补贴券', 'Voucher')}>
          <Typography.Text code>{redemption.voucherId}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('核销流程', 'Steps')}>
          {[claim.beneficiaryConfirmation ? t('企业确认', 'enterprise confirms') : null, claim.review ? t('发放机构审核', 'issuer reviews') : null]
            .filter(Boolean)
            .join(' → ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('确认截止日', 'Confirm by')}>
          <span data-testid="claim-due">{claim.confirmationDueOn ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('核销编号', 'Id')}>
          <Typography.Text code>{redemption.id}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('账本序号', 'Ledger seq')}>#{redemption.ledgerSeq}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

const submittedAt = (redemption: Redemption) => redemption.claim?.history[0]?.at ?? '';

/**
 * The claims in any of `statuses` (the API filters by one status a request; `all` asks for every redemption),
 * page by page for each, ordinary redemptions left out, the oldest submission first.
 */
export function useClaims(statuses: readonly string[], query: Record<string, string | undefined> = {}) {
  const [items, setItems] = useState<Redemption[]>([]);
  const [cursors, setCursors] = useState<Record<string, string | null>>({});
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  const key = `${statuses.join(',')}|${JSON.stringify(query)}`;
  const load = useCallback(
    async (after: Record<string, string | null> | null) => {
      setLoading(true);
      setError(null);
      try {
        const wanted = after ? statuses.filter((status) => after[status]) : statuses;
        const pages = await Promise.all(
          wanted.map((status) =>
            get<Page<Redemption>>('/v1/redemptions', {
              ...query,
              status: status === 'all' ? undefined : status,
              limit: 50,
              cursor: after?.[status] ?? undefined,
            }).then((page) => [status, page] as const),
          ),
        );
        const fresh = pages.flatMap(([, page]) => page.items).filter((redemption) => redemption.claim);
        setItems((previous) =>
          (after ? [...previous, ...fresh] : fresh).sort((a, b) => (submittedAt(a) < submittedAt(b) ? -1 : submittedAt(a) > submittedAt(b) ? 1 : 0)),
        );
        setCursors((previous) => ({ ...(after ? previous : {}), ...Object.fromEntries(pages.map(([status, page]) => [status, page.nextCursor])) }));
      } catch (err) {
        setError(err);
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );
  useEffect(() => {
    void load(null);
  }, [load, round]);
  const more = Object.values(cursors).some(Boolean) ? () => void load(cursors) : undefined;
  return { items, error, loading, more, reload: () => setRound((n) => n + 1) };
}
