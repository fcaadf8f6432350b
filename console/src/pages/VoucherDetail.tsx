import { Button, Card, Col, Descriptions, Form, Input, Row, Statistic, Table, Typography } from 'antd';
import { Link, useParams } from 'react-router-dom';
import { api, get } from '../api';
import { useSession } from '../auth';
import { ClaimStatus } from '../claims';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, StatusTag, useLoad, usePaged } from '../components';
import { formatDateTime, formatRate, formatYuan } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Redemption, Voucher } from '../types';

export function LimitedByText({ limitedBy }: { limitedBy: string | null }) {
  const { t } = useI18n();
  if (!limitedBy) return <>{t('未受限', 'not limited')}</>;
  const names: Record<string, string> = {
    annual_cap: t('受年度上限限制（该企业本年度该类补贴额度已用尽）', 'cut by the annual cap (the enterprise’s yearly cap for this bucket is reached)'),
    program_cap: t('受项目上限限制', 'cut by the program’s cap'),
    voucher_balance: t('受补贴券余额限制', 'cut by the voucher’s balance'),
  };
  return <>{names[limitedBy] ?? limitedBy}</>;
}

/** Where each role opens a claim. */
const CLAIM_PAGES: Partial<Record<string, string>> = { issuer: '/claim-reviews', enterprise: '/claims', provider: '/redemptions' };

export function RedemptionsTable({ voucherId }: { voucherId: string }) {
  const { t } = useI18n();
  const { role } = useSession().claims;
  const redemptions = usePaged<Redemption>('/v1/redemptions', { voucherId }, [voucherId]);
  const columns: Columns<Redemption> = [
    { title: t('执行日期', 'Executed on'), dataIndex: 'executedOn', key: 'executedOn' },
    { title: t('发票号', 'Invoice'), dataIndex: 'invoiceNumber', key: 'invoiceNumber' },
    {
      title: t('执行金额', 'Executed'),
      dataIndex: 'executedAmount',
      key: 'executedAmount',
      align: 'right',
      render: (value: string) => <Money value={value} />,
    },
    { title: t('比例', 'Rate'), dataIndex: 'rate', key: 'rate', render: (rate: string) => formatRate(rate) },
    { title: t('补贴', 'Subsidy'), dataIndex: 'subsidy', key: 'subsidy', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('已冲销执行金额', 'Reversed'),
      dataIndex: 'reversedAmount',
      key: 'reversedAmount',
      align: 'right',
      render: (value: string) => <Money value={value} />,
    },
    { title: t('已追回补贴', 'Clawed back'), dataIndex: 'clawedBack', key: 'clawedBack', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('净补贴', 'Net subsidy'), dataIndex: 'netSubsidy', key: 'netSubsidy', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('限制', 'Limited by'), dataIndex: 'limitedBy', key: 'limitedBy', render: (value: string | null) => <LimitedByText limitedBy={value} /> },
    { title: t('结算', 'Settlement'), key: 'settlement', render: (_, redemption) => <StatusTag status={redemption.settlement.status} /> },
    {
      title: t('审核状态', 'Claim status'),
      key: 'status',
      render: (_, redemption) => {
        if (!redemption.claim) return <Typography.Text type="secondary">{t('无需审核', 'none')}</Typography.Text>;
        const path = CLAIM_PAGES[role];
        const tag = <ClaimStatus status={redemption.status} />;
        return path ? <Link to={`${path}/${redemption.id}`}>{tag}</Link> : tag;
      },
    },
  ];
  return (
    <>
      <ProblemAlert problem={redemptions.error} />
      <Table rowKey="id" columns={columns} dataSource={redemptions.items} loading={redemptions.loading} pagination={false} size="small" />
      <LoadMore more={redemptions.more} loading={redemptions.loading} />
    </>
  );
}

export default function VoucherDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const voucher = useLoad((signal) => get<Voucher>(`/v1/vouchers/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const [form] = Form.useForm();
  const revoke = useSubmission(form);
  if (voucher.error) return <ProblemAlert problem={voucher.error} />;
  const v = voucher.data;
  if (!v) return null;
  return (
    <>
      <PageTitle extra={<StatusTag status={v.status} />}>
        {t('补贴券', 'Voucher')} {v.id}
      </PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={claims.role === 'issuer' && v.status === 'active' ? 16 : 24}>
          <Card style={{ marginBottom: 16 }}>
            <Row gutter={16} style={{ marginBottom: 16 }}>
              <Col span={8}>
                <Statistic title={t('券面金额', 'Amount')} value={formatYuan(v.amount)} />
              </Col>
              <Col span={8}>
                <Statistic title={t('余额', 'Balance')} value={formatYuan(v.balance)} data-testid="voucher-balance" />
              </Col>
              <Col span={8}>
                <Statistic title={t('有效期至', 'Expires on')} value={v.expiresOn} />
              </Col>
            </Row>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('企业', 'Beneficiary')}>
                {claims.role === 'enterprise' ? v.beneficiary.name : <Link to={`/beneficiaries/${v.beneficiary.uscc}`}>{v.beneficiary.name}</Link>} (
                {v.beneficiary.uscc})
              </Descriptions.Item>
              <Descriptions.Item label={t('券种', 'Kind')}>{kindName(v.kind, t)}</Descriptions.Item>
              <Descriptions.Item label={t('项目', 'Program')}>
                {claims.role === 'enterprise' ? v.programId : <Link to={`/programs/${v.programId}`}>{v.programId}</Link>}
              </Descriptions.Item>
              <Descriptions.Item label={t('地区', 'Region')}>{regionName(v.region, language)}</Descriptions.Item>
              {v.closedAt && <Descriptions.Item label={t('关闭时间', 'Closed at')}>{formatDateTime(v.closedAt)}</Descriptions.Item>}
              {v.closeReason && <Descriptions.Item label={t('关闭原因', 'Reason')}>{v.closeReason}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <Card title={t('核销记录', 'Redemptions')}>
            <RedemptionsTable voucherId={v.id} />
          </Card>
        </Col>
        {claims.role === 'issuer' && v.status === 'active' && (
          <Col xs={24} lg={8}>
            <Card title={t('撤销补贴券', 'Revoke the voucher')}>
              <Form
                form={form}
                layout="vertical"
                onFinish={async (values: { reason: string }) => {
                  const revoked = await revoke.submit(values, (key) =>
                    api<Voucher>('POST', `/v1/vouchers/${v.id}/revoke`, { body: values, idempotencyKey: key }),
                  );
                  if (revoked) voucher.set(revoked);
                }}
              >
                <Form.Item label={t('撤销原因', 'Reason')} name="reason" rules={[{ required: true }]}>
                  <Input.TextArea rows={2} />
                </Form.Item>
                <ProblemAlert problem={revoke.problem} onClose={revoke.clear} />
                <Button danger htmlType="submit" loading={revoke.submitting}>
                  {t('撤销（余额退回项目）', 'Revoke (balance returns to the program)')}
                </Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
    </>
  );
}
