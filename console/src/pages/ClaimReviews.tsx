// The issuer's queue of claims (decision 0041): what the provider claimed, what the enterprise says it paid, what
// is reserved and what approval would give, side by side; each claim opens for its documents and the decision.
import { Card, Form, Select, Table, Tabs, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { get, type Page } from '../api';
import { approvalOf, ClaimStatus, lastReason, useClaims } from '../claims';
import { type Columns, LoadMore, Money, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { Program, Redemption } from '../types';

function Queue({ statuses, programId }: { statuses: readonly string[]; programId: string | undefined }) {
  const { t } = useI18n();
  const list = useClaims(statuses, { programId });
  const columns: Columns<Redemption> = [
    {
      title: t('发票号', 'Invoice'),
      key: 'invoice',
      render: (_, redemption) => <Link to={`/claim-reviews/${redemption.id}`}>{redemption.invoiceNumber}</Link>,
    },
    { title: t('服务商', 'Provider'), dataIndex: 'providerUscc', key: 'providerUscc' },
    { title: t('执行日期', 'Executed on'), dataIndex: 'executedOn', key: 'executedOn' },
    {
      title: t('申报执行金额', 'Executed (claimed)'),
      key: 'executed',
      align: 'right',
      render: (_, redemption) => <Money value={redemption.claim?.executedAmount} />,
    },
    {
      title: t('企业确认实付', 'Paid (confirmed)'),
      key: 'paid',
      align: 'right',
      render: (_, redemption) => <Money value={redemption.claim?.paidAmount} />,
    },
    {
      title: t('预留补贴', 'Reserved'),
      key: 'reserved',
      align: 'right',
      render: (_, redemption) => <Money value={redemption.claim?.reservedAtSubmission} />,
    },
    {
      title: t('核准补贴（预计）', 'Approved (expected)'),
      key: 'approved',
      align: 'right',
      render: (_, redemption) => {
        if (!redemption.claim || ['rejected', 'withdrawn', 'lapsed'].includes(redemption.status)) return <Money value={null} />;
        const approval = approvalOf(redemption, redemption.claim);
        return (
          <span title={approval.estimate ? t('预计', 'expected') : t('已核准', 'approved')}>
            <Money value={approval.approved} strong={!approval.estimate} />
          </span>
        );
      },
    },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <ClaimStatus status={status} /> },
    {
      title: t('最近理由', 'Latest reason'),
      key: 'reason',
      render: (_, redemption) => <Typography.Text type="secondary">{lastReason(redemption.claim)?.reason ?? '—'}</Typography.Text>,
    },
    {
      title: t('提交时间', 'Submitted'),
      key: 'submitted',
      render: (_, redemption) => formatDateTime(redemption.claim?.history[0]?.at),
    },
  ];
  return (
    <>
      <ProblemAlert problem={list.error} />
      <Table
        rowKey="id"
        columns={columns}
        dataSource={list.items}
        loading={list.loading}
        pagination={false}
        size="middle"
        scroll={{ x: true }}
        data-testid="claim-queue"
      />
      <LoadMore more={list.more} loading={list.loading} />
    </>
  );
}

const TABS = [
  { key: 'review', statuses: ['awaiting_review'], zh: '待审核', en: 'Awaiting review' },
  { key: 'confirmation', statuses: ['awaiting_confirmation'], zh: '待企业确认', en: 'Awaiting confirmation' },
  { key: 'open', statuses: ['disputed', 'returned'], zh: '异议/退回', en: 'Disputed / returned' },
  { key: 'approved', statuses: ['approved'], zh: '已核准', en: 'Approved' },
  { key: 'closed', statuses: ['rejected', 'withdrawn', 'lapsed'], zh: '已驳回/撤回/失效', en: 'Rejected / withdrawn / lapsed' },
] as const;

export default function ClaimReviews() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((candidate) => candidate.key === search.get('tab')) ?? TABS[0];
  const programId = search.get('programId') ?? undefined;
  const programs = useLoad((signal) => get<Page<Program>>('/v1/programs', { limit: 200 }, signal), []);
  const choices = (programs.data?.items ?? []).filter((program) => program.claims.beneficiaryConfirmation || program.claims.review);
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [name, value] of Object.entries(changes))
      if (value) next.set(name, value);
      else next.delete(name);
    setSearch(next, { replace: true });
  };
  return (
    <>
      <PageTitle>{t('核销审核', 'Claim review')}</PageTitle>
      <Card>
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('项目', 'Program')} htmlFor="claim-reviews-program">
            <Select
              id="claim-reviews-program"
              allowClear
              style={{ width: 320 }}
              placeholder={t('全部项目', 'All programs')}
              value={programId}
              onChange={(value?: string) => update({ programId: value })}
              options={choices.map((program) => ({ value: program.id, label: program.name }))}
            />
          </Form.Item>
        </Form>
        <Tabs
          activeKey={tab.key}
          onChange={(key) => update({ tab: key })}
          destroyOnHidden
          items={TABS.map((candidate) => ({
            key: candidate.key,
            label: t(candidate.zh, candidate.en),
            children: <Queue statuses={candidate.statuses} programId={programId} />,
          }))}
        />
      </Card>
    </>
  );
}
