// One webhook subscription (decision 0044) and its delivery log, newest first: each event's attempts, the receiver's
// last answer, the next attempt; a delivered or failed one can be sent again (重新投递) with the same webhook-id.
import { Button, Card, Descriptions, Form, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, get } from '../api';
import { type Columns, LoadMore, PageTitle, ProblemAlert, usePaged, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { Webhook, WebhookDelivery } from '../types';
import { DELIVERY_STATUS_NAMES, DeliveryStatus, EventLabel, SubscriptionStatus } from '../webhooks';
import { DeleteWebhook } from './Webhooks';

function Redeliver({
  webhookId,
  delivery,
  onDone,
  onProblem,
}: {
  webhookId: string;
  delivery: WebhookDelivery;
  onDone(): void;
  onProblem(problem: unknown): void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  async function redeliver() {
    setBusy(true);
    onProblem(null);
    try {
      await api<WebhookDelivery>('POST', `/v1/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(delivery.id)}/redeliver`);
      onDone();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      onProblem(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button size="small" loading={busy} onClick={() => void redeliver()} aria-label={t(`重新投递 ${delivery.eventId}`, `Redeliver ${delivery.eventId}`)}>
      {t('重新投递', 'Redeliver')}
    </Button>
  );
}

export default function WebhookDetail() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams();
  const status = search.get('status') ?? undefined;
  const webhook = useLoad((signal) => get<Webhook>(`/v1/webhooks/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const log = usePaged<WebhookDelivery>(`/v1/webhooks/${encodeURIComponent(id)}/deliveries`, { status }, [id]);
  const [problem, setProblem] = useState<unknown>(null);
  const subscription = webhook.data;
  const redeliverable = subscription?.status === 'active';
  const columns: Columns<WebhookDelivery> = [
    { title: t('事件', 'Event'), key: 'eventType', render: (_, delivery) => <EventLabel type={delivery.eventType} /> },
    { title: t('账本序号', 'Seq'), dataIndex: 'seq', key: 'seq', align: 'right', render: (seq: number | null) => seq ?? '—' },
    { title: t('状态', 'Status'), key: 'status', render: (_, delivery) => <DeliveryStatus status={delivery.status} /> },
    { title: t('尝试次数', 'Attempts'), dataIndex: 'attempts', key: 'attempts', align: 'right' },
    {
      title: t('最近结果', 'Last answer'),
      key: 'last',
      render: (_, delivery) =>
        delivery.lastAttemptAt ? (
          <span>
            {delivery.lastStatus !== null ? <code>HTTP {delivery.lastStatus}</code> : t('无应答', 'no answer')}
            {delivery.lastError && (
              <Typography.Text type="danger" style={{ display: 'block', maxWidth: 320, wordBreak: 'break-word' }}>
                {delivery.lastError}
              </Typography.Text>
            )}
            <Typography.Text type="secondary" style={{ display: 'block', whiteSpace: 'nowrap' }}>
              {formatDateTime(delivery.lastAttemptAt)}
            </Typography.Text>
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('下次尝试', 'Next attempt'),
      key: 'nextAttemptAt',
      render: (_, delivery) => <span style={{ whiteSpace: 'nowrap' }}>{delivery.status === 'pending' ? formatDateTime(delivery.nextAttemptAt) : '—'}</span>,
    },
    {
      title: t('送达时间', 'Delivered'),
      key: 'deliveredAt',
      render: (_, delivery) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(delivery.deliveredAt)}</span>,
    },
    {
      title: t('事件 ID', 'Event id'),
      dataIndex: 'eventId',
      key: 'eventId',
      render: (eventId: string) => <code style={{ fontSize: 12 }}>{eventId}</code>,
    },
    {
      title: t('操作', 'Action'),
      key: 'action',
      render: (_, delivery) =>
        redeliverable && (delivery.status === 'delivered' || delivery.status === 'failed') ? (
          <Redeliver webhookId={id} delivery={delivery} onDone={log.reload} onProblem={setProblem} />
        ) : null,
    },
  ];
  const statusNames = DELIVERY_STATUS_NAMES(t);
  return (
    <>
      <PageTitle extra={<Link to="/webhooks">{t('返回订阅列表', 'Back to subscriptions')}</Link>}>{t('事件推送订阅', 'Webhook subscription')}</PageTitle>
      <ProblemAlert problem={webhook.error} />
      {subscription && (
        <Card style={{ marginBottom: 16 }} data-testid="webhook-subscription">
          <Descriptions size="small" column={{ xs: 1, md: 2 }}>
            <Descriptions.Item label={t('接收地址', 'URL')}>
              <span style={{ wordBreak: 'break-all' }}>{subscription.url}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('状态', 'Status')}>
              <SubscriptionStatus status={subscription.status} />
              {subscription.disabledAt && <Typography.Text type="secondary">{formatDateTime(subscription.disabledAt)}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('说明', 'Description')}>{subscription.description ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('创建', 'Created')}>
              {formatDateTime(subscription.createdAt)} · {subscription.createdBy}
            </Descriptions.Item>
            <Descriptions.Item label={t('订阅事件', 'Events')} span={2}>
              <Space wrap size={[16, 0]}>
                {subscription.events.map((type) => (
                  <EventLabel key={type} type={type} />
                ))}
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('订阅 ID', 'Subscription id')} span={2}>
              <code>{subscription.id}</code>
            </Descriptions.Item>
          </Descriptions>
          {subscription.status === 'active' && (
            <DeleteWebhook
              webhook={subscription}
              onDone={() => {
                navigate('/webhooks');
              }}
            />
          )}
        </Card>
      )}
      <Card title={t('投递记录', 'Delivery log')}>
        <Typography.Paragraph type="secondary">
          {t(
            '按订阅依次投递：前一条送达或失败后才投递下一条；失败时按 0 秒、5 秒、5 分钟、30 分钟、2 小时、5 小时、10 小时、10 小时重试。重新投递使用相同的 webhook-id。',
            'Delivered in order: the next waits until the one before is delivered or failed; retried after 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. A redelivery has the same webhook-id.',
          )}
        </Typography.Paragraph>
        <Form
          name="deliveriesFilter"
          layout="inline"
          style={{ marginBottom: 12 }}
          initialValues={{ status: status ?? '' }}
          onValuesChange={(values: { status?: string }) => {
            const next = new URLSearchParams();
            if (values.status) next.set('status', values.status);
            setSearch(next, { replace: true });
          }}
        >
          <Form.Item label={t('投递状态', 'Delivery status')} name="status">
            <Select
              style={{ width: 140 }}
              options={[
                { value: '', label: t('全部', 'All') },
                ...(['pending', 'delivered', 'failed', 'cancelled'] as const).map((value) => ({ value, label: statusNames[value] })),
              ]}
            />
          </Form.Item>
          <Form.Item>
            <Button onClick={log.reload}>{t('刷新', 'Refresh')}</Button>
          </Form.Item>
        </Form>
        <ProblemAlert problem={log.error} />
        <ProblemAlert problem={problem} onClose={() => setProblem(null)} />
        <Table
          rowKey="id"
          columns={columns}
          dataSource={log.items}
          loading={log.loading}
          pagination={false}
          size="small"
          scroll={{ x: true }}
          data-testid="webhook-deliveries"
        />
        <LoadMore more={log.more} loading={log.loading} />
      </Card>
    </>
  );
}
