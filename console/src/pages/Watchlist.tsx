// The watchlist (监管名单, decision 0042): dishonesty records (失信) and other listings that bar an enterprise from
// the programs of the listing region and below until delisted. Issuers list and delist; auditors read the history.
import { Button, Card, Col, DatePicker, Form, Input, Row, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { useSession } from '../auth';
import { type Columns, FormDialog, LoadMore, PageTitle, ProblemAlert, usePaged } from '../components';
import { formatDateTime, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Listing } from '../types';

function ListingStatus({ listing }: { listing: Listing }) {
  const { t } = useI18n();
  return listing.status === 'active' ? <Tag color="red">{t('在列', 'listed')}</Tag> : <Tag>{t('已移出', 'delisted')}</Tag>;
}

/** Ends the region's own active listing, with a reason; the listing and its delisting stay on record. */
function Delist({ listing, onDone }: { listing: Listing; onDone(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)} aria-label={t(`移出名单 ${listing.uscc}`, `Delist ${listing.uscc}`)}>
        {t('移出名单', 'Delist')}
      </Button>
      <FormDialog
        open={open}
        title={t(`移出名单：${listing.name ?? listing.uscc}`, `Delist ${listing.name ?? listing.uscc}`)}
        okText={t('确认移出', 'Delist')}
        cancelText={t('返回', 'Back')}
        danger
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        name="delist"
        onFinish={async (values: { reason: string }) => {
          const body = { reason: values.reason.trim() };
          const done = await submission.submit(body, (key) =>
            api<Listing>('POST', `/v1/watchlist/${encodeURIComponent(listing.uscc)}/delist`, { body, idempotencyKey: key }),
          );
          if (done) {
            setOpen(false);
            onDone();
          }
        }}
      >
        <Typography.Paragraph>
          {t(
            `${listing.uscc} 自今日起不再受本地区此项列入的限制；列入与移出记录均予保留。`,
            `From today the listing no longer bars ${listing.uscc}; the listing and its delisting stay on record.`,
          )}
        </Typography.Paragraph>
        <Form.Item label={t('移出理由', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写移出理由', 'Give a reason') }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </>
  );
}

interface ListValues {
  uscc: string;
  name?: string;
  source: string;
  listedOn: dayjs.Dayjs;
  reason: string;
}

/** Lists an enterprise in the issuer's region: the listing authority's list and the day it listed the enterprise. */
function ListEnterprise({ onListed }: { onListed(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<ListValues>();
  const submission = useSubmission(form);
  const today = todayInShanghai();
  return (
    <Card title={t('列入名单', 'List an enterprise')} data-testid="list-enterprise">
      <Typography.Paragraph type="secondary">
        {t(
          '列入后，该企业在本地区及下级地区的项目中不得申报、获券、兑付或获得补贴，作为服务商亦不得兑付或收款，直至移出。',
          'Once listed, the enterprise cannot apply, be issued a voucher, redeem or be approved in programs of your region and below, nor be paid as a provider, until delisted.',
        )}
      </Typography.Paragraph>
      <Form
        form={form}
        name="listEnterprise"
        layout="vertical"
        onFinish={async (values) => {
          const name = values.name?.trim();
          const body = {
            uscc: values.uscc.trim(),
            ...(name ? { name } : {}),
            source: values.source.trim(),
            listedOn: values.listedOn.format('YYYY-MM-DD'),
            reason: values.reason.trim(),
          };
          const listing = await submission.submit(body, (key) => api<Listing>('POST', '/v1/watchlist', { body, idempotencyKey: key }));
          if (listing) {
            form.resetFields();
            onListed();
          }
        }}
      >
        <Form.Item
          label={t('统一社会信用代码', 'USCC')}
          name="uscc"
          rules={[{ required: true, len: 18, message: t('18 位统一社会信用代码', '18-character USCC') }]}
        >
          <Input maxLength={18} />
        </Form.Item>
        <Form.Item label={t('企业名称（可选）', 'Name (optional)')} name="name">
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          label={t('列入机关或名单', 'Listing authority or list')}
          name="source"
          rules={[{ required: true, whitespace: true, message: t('请填写列入机关或名单', 'Name the authority or list') }]}
        >
          <Input maxLength={200} placeholder={t('如 信用中国 严重失信主体名单', 'e.g. 信用中国 严重失信主体名单')} />
        </Form.Item>
        <Form.Item
          label={t('列入日期', 'Listed on')}
          name="listedOn"
          tooltip={t('该机关列入企业之日，不得晚于今日', 'The day the authority listed it; not in the future')}
          rules={[
            { required: true, message: t('请选择列入日期', 'Choose the day') },
            {
              validator: (_, value: dayjs.Dayjs | undefined) =>
                !value || value.format('YYYY-MM-DD') <= today
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('列入日期不得晚于今日', 'Must not be in the future'))),
            },
          ]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(day) => day.format('YYYY-MM-DD') > today} />
        </Form.Item>
        <Form.Item label={t('列入事由', 'Reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('请填写列入事由', 'Give a reason') }]}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('列入', 'List')}
        </Button>
      </Form>
    </Card>
  );
}

export default function Watchlist() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const [search, setSearch] = useSearchParams();
  const uscc = search.get('uscc') ?? undefined;
  const status = search.get('status') ?? undefined;
  const list = usePaged<Listing>('/v1/watchlist', { uscc, status }, []);
  const issuer = claims.role === 'issuer';
  const columns: Columns<Listing> = [
    { title: t('统一社会信用代码', 'USCC'), dataIndex: 'uscc', key: 'uscc' },
    { title: t('企业名称', 'Name'), dataIndex: 'name', key: 'name', render: (name: string | null) => name ?? '—' },
    { title: t('列入地区', 'Listed by'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('列入机关或名单', 'Authority or list'), dataIndex: 'source', key: 'source' },
    { title: t('列入日期', 'Listed on'), dataIndex: 'listedOn', key: 'listedOn', render: (day: string) => <span style={{ whiteSpace: 'nowrap' }}>{day}</span> },
    { title: t('列入事由', 'Reason'), dataIndex: 'reason', key: 'reason' },
    { title: t('状态', 'Status'), key: 'status', render: (_, listing) => <ListingStatus listing={listing} /> },
    {
      title: t('移出', 'Delisting'),
      key: 'delisting',
      render: (_, listing) =>
        listing.delisting ? (
          <span>
            <span style={{ whiteSpace: 'nowrap' }}>{listing.delisting.on}</span>
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {listing.delisting.reason}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    { title: t('登记时间', 'Recorded'), dataIndex: 'listedAt', key: 'listedAt', render: (value: string) => formatDateTime(value) },
    ...(issuer
      ? [
          {
            title: t('操作', 'Action'),
            key: 'action',
            // Only the region that listed it may delist it.
            render: (_: unknown, listing: Listing) =>
              listing.status === 'active' && listing.region === claims.region ? <Delist listing={listing} onDone={list.reload} /> : null,
          },
        ]
      : []),
  ];
  const filter = (values: { uscc?: string; status?: string }) => {
    const next = new URLSearchParams();
    if (values.uscc?.trim()) next.set('uscc', values.uscc.trim());
    if (values.status) next.set('status', values.status);
    setSearch(next, { replace: true });
  };
  return (
    <>
      <PageTitle>{t('监管名单', 'Watchlist')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={issuer ? 16 : 24}>
          <Card>
            <Typography.Paragraph type="secondary">
              {t(
                '本地区列入的，以及上级地区列入、适用于本地区的失信或监管名单；移出后记录仍保留。',
                'Listings made in your region and those made above it that apply here; delisted ones are kept.',
              )}
            </Typography.Paragraph>
            <Form name="watchlistFilter" layout="inline" style={{ marginBottom: 12 }} initialValues={{ uscc, status: status ?? '' }} onFinish={filter}>
              <Form.Item label={t('统一社会信用代码', 'USCC')} name="uscc" rules={[{ len: 18, message: t('18 位统一社会信用代码', '18-character USCC') }]}>
                <Input maxLength={18} allowClear style={{ width: 220 }} />
              </Form.Item>
              <Form.Item label={t('状态', 'Status')} name="status">
                <Select
                  style={{ width: 120 }}
                  options={[
                    { value: '', label: t('全部', 'All') },
                    { value: 'active', label: t('在列', 'Listed') },
                    { value: 'delisted', label: t('已移出', 'Delisted') },
                  ]}
                />
              </Form.Item>
              <Form.Item>
                <Space>
                  <Button htmlType="submit">{t('查询', 'Search')}</Button>
                </Space>
              </Form.Item>
            </Form>
            <ProblemAlert problem={list.error} />
            <Table
              rowKey="id"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              size="small"
              scroll={{ x: true }}
              data-testid="watchlist"
            />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        {issuer && (
          <Col xs={24} lg={8}>
            <ListEnterprise onListed={list.reload} />
          </Col>
        )}
      </Row>
    </>
  );
}
