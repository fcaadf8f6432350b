// The enterprise's claims (decision 0041): what providers claim against its vouchers, with their documents, the
// reserved subsidy and the day to answer by; each opens to confirm what was paid, or to dispute it.
import { Card, Table, Tabs, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { ClaimDocuments, ClaimStatus, lastReason, useClaims } from '../claims';
import { type Columns, LoadMore, Money, PageTitle, ProblemAlert } from '../components';
import { todayInShanghai } from '../format';
import { useI18n } from '../i18n';
import type { Redemption } from '../types';

function List({ statuses }: { statuses: readonly string[] }) {
  const { t } = useI18n();
  const list = useClaims(statuses);
  const today = todayInShanghai();
  const columns: Columns<Redemption> = [
    {
      title: t('发票号', 'Invoice'),
      key: 'invoice',
      render: (_, redemption) => <Link to={`/claims/${redemption.id}`}>{redemption.invoiceNumber}</Link>,
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
      title: t('预留补贴', 'Reserved subsidy'),
      key: 'reserved',
      align: 'right',
      render: (_, redemption) => <Money value={redemption.claim?.reservedAtSubmission} />,
    },
    {
      title: t('确认实付', 'Paid (confirmed)'),
      key: 'paid',
      align: 'right',
      render: (_, redemption) => <Money value={redemption.claim?.paidAmount} />,
    },
    {
      title: t('确认截止日', 'Confirm by'),
      key: 'due',
      render: (_, redemption) => {
        const due = redemption.status === 'awaiting_confirmation' ? redemption.claim?.confirmationDueOn : null;
        if (!due) return '—';
        return <Typography.Text type={due <= today ? 'danger' : undefined}>{due}</Typography.Text>;
      },
    },
    {
      title: t('材料', 'Documents'),
      key: 'documents',
      align: 'right',
      render: (_, redemption) => t(`${redemption.claim?.documents.length ?? 0} 份`, `${redemption.claim?.documents.length ?? 0}`),
    },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <ClaimStatus status={status} /> },
    {
      title: t('最近理由', 'Latest reason'),
      key: 'reason',
      render: (_, redemption) => <Typography.Text type="secondary">{lastReason(redemption.claim)?.reason ?? '—'}</Typography.Text>,
    },
    {
      title: t('操作', 'Action'),
      key: 'action',
      render: (_, redemption) => (
        <Link to={`/claims/${redemption.id}`}>{redemption.status === 'awaiting_confirmation' ? t('确认 / 异议', 'Confirm / dispute') : t('查看', 'View')}</Link>
      ),
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
        data-testid="claims"
        expandable={{ expandedRowRender: (redemption) => redemption.claim && <ClaimDocuments claim={redemption.claim} /> }}
      />
      <LoadMore more={list.more} loading={list.loading} />
    </>
  );
}

const TABS = [
  { key: 'confirmation', statuses: ['awaiting_confirmation'], zh: '待确认', en: 'To confirm' },
  { key: 'all', statuses: ['all'], zh: '全部', en: 'All' },
] as const;

export default function Claims() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((candidate) => candidate.key === search.get('tab')) ?? TABS[0];
  return (
    <>
      <PageTitle>{t('待确认核销', 'Claims to confirm')}</PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">
          {t(
            '服务商凭合同和发票对贵企业的补贴券申请核销，补贴先行预留。请核对材料，填写实际支付金额并上传付款凭证后确认；如有不符请提出异议。逾期未确认的申请自动失效。',
            'Providers claim against your vouchers with their contract and invoice; the subsidy is reserved meanwhile. Check the documents, then confirm what you paid with the proof of payment, or dispute it. A claim not confirmed in time lapses.',
          )}
        </Typography.Paragraph>
        <Tabs
          activeKey={tab.key}
          onChange={(key) => setSearch({ tab: key }, { replace: true })}
          destroyOnHidden
          items={TABS.map((candidate) => ({
            key: candidate.key,
            label: t(candidate.zh, candidate.en),
            children: <List statuses={candidate.statuses} />,
          }))}
        />
      </Card>
    </>
  );
}
