import { Card, Col, Empty, Row, Statistic, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { get } from '../api';
import { useSession } from '../auth';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, StatusTag, useLoad, usePaged } from '../components';
import { formatYuan, sumYuan, todayInShanghai } from '../format';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Usage, Voucher } from '../types';
import { BucketBar } from './Beneficiary';
import { RedemptionsTable } from './VoucherDetail';

/** The enterprise's own vouchers, what is left on them, and how much of this year's caps it has used. */
export default function MyVouchers() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const uscc = claims.org ?? '';
  const year = todayInShanghai().slice(0, 4);
  const vouchers = usePaged<Voucher>('/v1/vouchers', {}, []);
  const usage = useLoad((signal) => get<Usage>(`/v1/beneficiaries/${encodeURIComponent(uscc)}/usage`, { year }, signal), [uscc, year]);
  const active = vouchers.items.filter((voucher) => voucher.status === 'active');
  const columns: Columns<Voucher> = [
    {
      title: t('券号', 'Voucher'),
      dataIndex: 'id',
      key: 'id',
      render: (id: string) => <Link to={`/vouchers/${id}`}>{id.slice(0, 8)}…</Link>,
    },
    { title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindName(kind, t) },
    { title: t('地区', 'Region'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('券面金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('余额', 'Balance'), dataIndex: 'balance', key: 'balance', align: 'right', render: (value: string) => <Money value={value} strong /> },
    { title: t('有效期至', 'Expires'), dataIndex: 'expiresOn', key: 'expiresOn' },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
  ];
  return (
    <>
      <PageTitle>{t('我的补贴券', 'My vouchers')}</PageTitle>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('有效券张数', 'Active vouchers')} value={active.length} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic
              title={t('可用余额合计', 'Balance on active vouchers')}
              value={formatYuan(sumYuan(active.map((voucher) => voucher.balance)))}
              data-testid="vouchers-balance"
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('券面金额合计', 'Face value, all vouchers')} value={formatYuan(sumYuan(vouchers.items.map((voucher) => voucher.amount)))} />
          </Card>
        </Col>
      </Row>
      <Card title={t('补贴券', 'Vouchers')} style={{ marginBottom: 16 }}>
        <ProblemAlert problem={vouchers.error} />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={vouchers.items}
          loading={vouchers.loading}
          pagination={false}
          size="middle"
          data-testid="my-vouchers"
          expandable={{
            expandedRowRender: (voucher) => <RedemptionsTable voucherId={voucher.id} />,
            expandRowByClick: false,
          }}
        />
        <LoadMore more={vouchers.more} loading={vouchers.loading} />
      </Card>
      <Card title={t(`${year} 年度补贴额度使用（全省累计）`, `${year}: use of the annual caps (province-wide)`)}>
        <ProblemAlert problem={usage.error} />
        {usage.data ? (
          Object.entries(usage.data.buckets).map(([name, bucket]) => <BucketBar key={name} code={name} bucket={bucket} />)
        ) : usage.loading ? null : (
          <Empty />
        )}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(
            '年度上限按政策对每家企业在全省范围内累计计算，审核中核销申请预留的额度同样计入；核销时超出上限的部分不予补贴。',
            'The annual caps count everything the enterprise was granted province-wide, and what open claims reserve; a redemption is cut at the cap.',
          )}
        </Typography.Paragraph>
      </Card>
    </>
  );
}
