import { Button, Card, Col, Collapse, DatePicker, Descriptions, Form, Input, Radio, Row, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, useMemo } from 'react';
import type { Series } from '../Chart';
import { useNavigate, useParams } from 'react-router-dom';
import { api, get } from '../api';
import { useSession } from '../auth';
import { claimTermsText } from '../claims';
import { AMOUNT_PATTERN, bucketName, type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, StatusTag, useLoad, usePaged } from '../components';
import { formatRate, formatYuan } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { ClosingCard, oversightAccess, ProgramStatusTag, SpotChecksCard } from '../oversight';
import { regionName } from '../regions';
import type { Funder, Program, ProgramBalances, Voucher } from '../types';

const BalancesChart = lazy(() => import('../Chart'));

function IssueVoucher({ program }: { program: Program }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const closesOn = program.period?.closesOn;
  async function finish(values: { beneficiary: { uscc: string; name: string }; amount: string; expiresOn: dayjs.Dayjs }) {
    const body = { programId: program.id, beneficiary: values.beneficiary, amount: values.amount, expiresOn: values.expiresOn.format('YYYY-MM-DD') };
    const voucher = await submission.submit(body, (key) => api<Voucher>('POST', '/v1/vouchers', { body, idempotencyKey: key }));
    if (voucher) navigate(`/vouchers/${voucher.id}`);
  }
  return (
    <Card title={t('发放补贴券', 'Issue a voucher')} style={{ marginBottom: 16 }}>
      <Form form={form} name="issueVoucher" layout="vertical" onFinish={finish}>
        <Form.Item
          label={t('企业统一社会信用代码', 'Beneficiary USCC')}
          name={['beneficiary', 'uscc']}
          rules={[{ required: true, len: 18, message: t('18 位统一社会信用代码', '18-character USCC') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item label={t('企业名称', 'Beneficiary name')} name={['beneficiary', 'name']} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item
          label={t('券面金额（元）', 'Amount (yuan)')}
          name="amount"
          rules={[{ required: true }, { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'An amount with at most two decimals') }]}
        >
          <Input inputMode="decimal" style={{ textAlign: 'right' }} />
        </Form.Item>
        <Form.Item
          label={t('有效期至', 'Expires on')}
          name="expiresOn"
          extra={closesOn ? t(`不得晚于项目关闭日 ${closesOn}`, `Not after the program closes on ${closesOn}`) : undefined}
          rules={[
            { required: true },
            // A voucher may not outlive its program's period (decision 0042).
            {
              validator: (_, value: dayjs.Dayjs | undefined) =>
                !value || !closesOn || value.format('YYYY-MM-DD') <= closesOn
                  ? Promise.resolve()
                  : Promise.reject(new Error(t(`不得晚于项目关闭日 ${closesOn}`, `Must not be after ${closesOn}`))),
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('发放', 'Issue')}
        </Button>
      </Form>
    </Card>
  );
}

function BudgetChange({ program, onChanged }: { program: Program; onChanged(program: Program): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  async function finish(values: { amount: string; direction: string; reason: string }) {
    const result = await submission.submit(values, (key) =>
      api<{ program: Program }>('POST', `/v1/programs/${program.id}/budget-changes`, { body: values, idempotencyKey: key }),
    );
    if (result) {
      // The direction stays as chosen: a second decrease is as likely as an increase.
      form.resetFields(['amount', 'reason']);
      onChanged(result.program);
    }
  }
  // A closed program's budget is settled: money a reversal brings back goes back by closing again (decision 0042).
  if (program.status === 'closed')
    return (
      <Card title={t('调整预算', 'Change the budget')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {t(
            '项目已关闭，不再调整预算；关闭后冲销追回的资金回到项目账户，可在“年终关闭”中再次关闭，按各级已确认出资退回。',
            'The program is closed: its budget no longer changes. Money a later reversal brings back goes back to the funders by closing it again, under “Year-end close”.',
          )}
        </Typography.Paragraph>
      </Card>
    );
  return (
    <Card title={t('调整预算', 'Change the budget')} style={{ marginBottom: 16 }}>
      <Form form={form} name="budgetChange" layout="vertical" onFinish={finish} initialValues={{ direction: 'increase' }}>
        <Form.Item label={t('方向', 'Direction')} name="direction">
          <Radio.Group
            options={[
              { value: 'increase', label: t('追加', 'Increase') },
              { value: 'decrease', label: t('核减', 'Decrease') },
            ]}
          />
        </Form.Item>
        <Form.Item
          label={t('金额（元）', 'Amount (yuan)')}
          name="amount"
          rules={[{ required: true }, { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'At most two decimals') }]}
        >
          <Input inputMode="decimal" style={{ textAlign: 'right' }} />
        </Form.Item>
        <Form.Item label={t('原因', 'Reason')} name="reason" rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button htmlType="submit" loading={submission.submitting}>
          {t('提交调整', 'Submit change')}
        </Button>
      </Form>
    </Card>
  );
}

export default function ProgramDetail() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { claims } = useSession();
  const navigate = useNavigate();
  const program = useLoad((signal) => get<Program>(`/v1/programs/${encodeURIComponent(id)}`, undefined, signal), [id]);
  // Read again after a close: every active voucher has expired.
  const vouchers = usePaged<Voucher>('/v1/vouchers', { programId: id }, [id, program.data?.status === 'closed']);
  // Reloaded whenever the program's available balance changes (a budget change made on this page).
  const balances = useLoad(
    (signal) => get<ProgramBalances>(`/v1/programs/${encodeURIComponent(id)}/balances`, undefined, signal),
    [id, program.data?.available],
  );
  const series = useMemo<Series[]>(
    () => [
      { key: 'funded', name: t('已到位', 'Funded'), color: '#1d4ed8' },
      { key: 'available', name: t('可用', 'Available'), color: '#16a34a' },
      { key: 'onVouchers', name: t('券上余额', 'On vouchers'), color: '#f59e0b' },
      { key: 'reserved', name: t('审核中预留', 'Reserved for claims'), color: '#0891b2' },
      { key: 'owedToProviders', name: t('待支付', 'Owed to providers'), color: '#dc2626' },
      { key: 'paid', name: t('已支付', 'Paid'), color: '#7c3aed' },
    ],
    [t],
  );

  if (program.error) return <ProblemAlert problem={program.error} />;
  const p = program.data;
  if (!p) return null;
  const funderColumns: Columns<Funder> = [
    { title: t('出资地区', 'Funder'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('比例', 'Ratio'), dataIndex: 'ratio', key: 'ratio', render: (ratio: string) => formatRate(ratio) },
    { title: t('应出资', 'Share'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('已确认', 'Confirmed'), dataIndex: 'confirmed', key: 'confirmed', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('待确认', 'Pending'), dataIndex: 'pending', key: 'pending', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
  ];
  const voucherColumns: Columns<Voucher> = [
    {
      title: t('券号', 'Voucher'),
      dataIndex: 'id',
      key: 'id',
      render: (voucherId: string) => <a onClick={() => navigate(`/vouchers/${voucherId}`)}>{voucherId.slice(0, 8)}…</a>,
    },
    { title: t('企业', 'Beneficiary'), key: 'beneficiary', render: (_, voucher) => `${voucher.beneficiary.name} (${voucher.beneficiary.uscc})` },
    { title: t('券面金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('余额', 'Balance'), dataIndex: 'balance', key: 'balance', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('有效期至', 'Expires'), dataIndex: 'expiresOn', key: 'expiresOn' },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <StatusTag status={status} /> },
  ];
  const ownIssuer = claims.role === 'issuer' && claims.region === p.region;
  const access = oversightAccess(p, claims);
  return (
    <>
      <PageTitle
        extra={
          <span>
            <Tag>{kindName(p.kind, t)}</Tag>
            <ProgramStatusTag program={p} testId="program-status" />
          </span>
        }
      >
        {p.name}
      </PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={ownIssuer ? 15 : 24}>
          <Card style={{ marginBottom: 16 }}>
            <Row gutter={[16, 16]} wrap>
              {[[t('预算', 'Budget'), p.budget], ...series.map((item) => [item.name, balances.data?.current[item.key]] as const)].map(([title, value]) => (
                <Col flex="1 1 140px" key={title}>
                  <Statistic title={title} value={value ? formatYuan(value) : '—'} />
                </Col>
              ))}
            </Row>
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
              {t(
                '已到位 = 可用 + 券上余额 + 审核中预留 + 待支付 + 已支付；按账本分录逐日汇总（北京时间）',
                'Funded = available + on vouchers + reserved for claims + owed + paid, summed from the ledger day by day (Beijing time)',
              )}
              {balances.data ? t(`，截至账本序号 ${balances.data.throughSeq}。`, `, through ledger seq ${balances.data.throughSeq}.`) : '。'}
            </Typography.Paragraph>
            <ProblemAlert problem={balances.error} />
            {balances.data && balances.data.daily.length > 0 && (
              <>
                <Suspense fallback={null}>
                  <BalancesChart daily={balances.data.daily} series={series} label={t('项目资金逐日变化', 'Program money day by day')} />
                </Suspense>
                <Collapse
                  size="small"
                  items={[
                    {
                      key: 'daily',
                      label: t('按日明细', 'Day by day'),
                      children: (
                        <Table
                          rowKey="date"
                          size="small"
                          pagination={{ pageSize: 10, hideOnSinglePage: true }}
                          dataSource={[...balances.data.daily].reverse()}
                          columns={[
                            { title: t('日期', 'Date'), dataIndex: 'date', key: 'date' },
                            ...series.map((item) => ({
                              title: item.name,
                              dataIndex: item.key,
                              key: item.key,
                              align: 'right' as const,
                              render: (value: string) => <Money value={value} />,
                            })),
                          ]}
                        />
                      ),
                    },
                  ]}
                />
              </>
            )}
          </Card>
          <Card title={t('项目信息与出资', 'Program and funding')} style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={2} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('项目编号', 'Id')}>{p.id}</Descriptions.Item>
              <Descriptions.Item label={t('地区', 'Region')}>{regionName(p.region, language)}</Descriptions.Item>
              <Descriptions.Item label={t('财政年度', 'Fiscal year')}>{p.period?.fiscalYear ?? t('未设（长期项目）', 'none (open-ended)')}</Descriptions.Item>
              <Descriptions.Item label={t('关闭日', 'Closes on')}>
                {p.period?.closesOn ?? t('未设（可随时关闭）', 'none (may close any day)')}
              </Descriptions.Item>
              <Descriptions.Item label={t('状态', 'Status')}>
                {p.status === 'closed' ? t(`已关闭（${p.closedOn ?? '—'}）`, `closed (${p.closedOn ?? '—'})`) : t('执行中', 'open')}
              </Descriptions.Item>
              <Descriptions.Item label={t('政策', 'Policy')}>{p.policyId}</Descriptions.Item>
              <Descriptions.Item label={t('仅限名录内服务商', 'Registered providers only')}>
                {p.requireRegisteredProviders ? t('是', 'yes') : t('否', 'no')}
              </Descriptions.Item>
              <Descriptions.Item label={t('发放方式', 'Issuance')}>
                {p.applications ? t('申报审核', 'By application and review') : t('直接发放', 'Issued directly')}
              </Descriptions.Item>
              {p.applications && (
                <>
                  <Descriptions.Item label={t('申报期', 'Application window')}>
                    {p.applications.opensOn} – {p.applications.closesOn}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('公示期', 'Public notice')}>
                    {t(`${p.applications.noticeWorkingDays} 个工作日`, `${p.applications.noticeWorkingDays} working days`)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('异议受理', 'Objections to')}>
                    {p.applications.contact.office}，{t('电话', 'tel.')} {p.applications.contact.telephone}
                  </Descriptions.Item>
                </>
              )}
              <Descriptions.Item label={t('核销方式', 'Redemptions')}>
                <span data-testid="claim-terms">{claimTermsText(p.claims, t)}</span>
              </Descriptions.Item>
              {Object.entries(p.limits).map(([bucket, limit]) => (
                <Descriptions.Item key={bucket} label={bucketName(bucket, t)}>
                  {t('补贴比例', 'rate')} {formatRate(limit.rate)} · {t('项目年度上限', "program's annual cap")}{' '}
                  {limit.annualCap ? formatYuan(limit.annualCap) : t('未另设（按政策上限）', "none of its own (the policy's applies)")}
                </Descriptions.Item>
              ))}
            </Descriptions>
            <Table rowKey="region" columns={funderColumns} dataSource={p.funding} pagination={false} size="small" data-testid="funding" />
          </Card>
          {access.closing && <ClosingCard program={p} canClose={access.close} onClosed={program.set} />}
          {access.spotChecks && <SpotChecksCard program={p} />}
          <Card title={t('补贴券', 'Vouchers')}>
            <ProblemAlert problem={vouchers.error} />
            <Table rowKey="id" columns={voucherColumns} dataSource={vouchers.items} loading={vouchers.loading} pagination={false} size="small" />
            <LoadMore more={vouchers.more} loading={vouchers.loading} />
          </Card>
        </Col>
        {ownIssuer && (
          <Col xs={24} lg={9}>
            {p.status === 'closed' ? (
              <Card title={t('发放补贴券', 'Issue a voucher')} style={{ marginBottom: 16 }}>
                <Typography.Paragraph style={{ marginBottom: 0 }}>
                  {t(
                    `项目已于 ${p.closedOn ?? '—'} 关闭，不再发放补贴券、受理申报或核销；结算与追回照常进行。`,
                    `The program closed on ${p.closedOn ?? '—'}: no more vouchers, applications or redemptions; settlement and recoveries go on.`,
                  )}
                </Typography.Paragraph>
              </Card>
            ) : p.applications ? (
              <Card title={t('发放补贴券', 'Issue a voucher')} style={{ marginBottom: 16 }}>
                <Typography.Paragraph>
                  {t(
                    '本项目采用申报审核方式：企业申报，经初审、复审和公示期满后发放补贴券。',
                    'This program issues by application: enterprises apply, and a voucher is granted after two reviews and the public notice.',
                  )}
                </Typography.Paragraph>
                <Button type="primary" onClick={() => navigate(`/reviews?programId=${p.id}`)}>
                  {t('前往申报审核', 'Go to the review queue')}
                </Button>
              </Card>
            ) : (
              <IssueVoucher program={p} />
            )}
            {(p.claims.beneficiaryConfirmation || p.claims.review) && (
              <Card title={t('核销审核', 'Claim review')} style={{ marginBottom: 16 }}>
                <Typography.Paragraph>{claimTermsText(p.claims, t)}</Typography.Paragraph>
                <Button onClick={() => navigate(`/claim-reviews?programId=${p.id}`)}>{t('前往核销审核', 'Go to the claim review')}</Button>
              </Card>
            )}
            {/* Built afresh when the program closes: its direction becomes a decrease. */}
            <BudgetChange key={p.status} program={p} onChanged={program.set} />
          </Col>
        )}
      </Row>
    </>
  );
}
