// One webhook subscription (decision 0044) and its delivery log, newest first: each event's attempts, the receiver's
// last answer, the next attempt; a delivered or failed one can be sent again (重新投递) with the same webhook-id.
// Its secret can be rotated (轮换密钥, decision 0047): the new one is shown once, the old one signs beside it for 24 hours.
import { Button, Card, Descriptions, Form, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api, ApiError, get, newIdempotencyKey } from '../api';
import { type Columns, LoadMore, PageTitle, ProblemAlert, usePaged, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { RotatedWebhook, Webhook, WebhookDelivery } from '../types';
import { DELIVERY_STATUS_NAMES, DeliveryStatus, EventLabel, SubscriptionStatus } from '../webhooks';
import { DeleteWebhook, SecretDialog } from './Webhooks';

/**
 * Rotates the secret after a confirmation, then shows the new one once. One Idempotency-Key per confirmation, so a
 * request sent again after a lost answer is answered the same secret instead of rotating twice (which would drop the
 * secret the receiver still verifies with).
 */
function RotateSecret({ webhook, onDone }: { webhook: Webhook; onDone(): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [rotated, setRotated] = useState<RotatedWebhook | null>(null);
  async function rotate(idempotencyKey: string) {
    setBusy(true);
    setProblem(null);
    try {
      setRotated(await api<RotatedWebhook>('POST', `/v1/webhooks/${encodeURIComponent(webhook.id)}/secret`, { idempotencyKey }));
      setKey(null);
      onDone();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }
  const until = formatDateTime(rotated?.previousSecretExpiresAt);
  return (
    <>
      <Button size="small" onClick={() => setKey(newIdempotencyKey())}>
        {t('轮换密钥', 'Rotate the secret')}
      </Button>
      <Modal
        open={key !== null}
        title={t('轮换签名密钥', 'Rotate the signing secret')}
        okText={t('确认轮换', 'Rotate')}
        cancelText={t('返回', 'Back')}
        confirmLoading={busy}
        onOk={() => key !== null && void rotate(key)}
        onCancel={() => setKey(null)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t(
            '将生成新的签名密钥，只显示一次。24 小时内旧密钥仍然有效：推送同时附上新旧两个签名，请在此期间让接收方改用新密钥。',
            'A new signing secret is made and shown once. The old secret keeps working for 24 hours: deliveries carry signatures with both meanwhile, for the receiver to switch to the new one.',
          )}
        </Typography.Paragraph>
        <ProblemAlert problem={problem} onClose={() => setProblem(null)} />
      </Modal>
      <SecretDialog
        secret={rotated?.secret ?? null}
        title={t('密钥已轮换：请保存新的签名密钥', 'Secret rotated: save the new signing secret')}
        notice={
          <span data-testid="webhook-previous-secret">
            {t(
              `24 小时内旧密钥仍然有效：${until} 之前的推送同时附上新旧两个签名，此后只以新密钥签名。`,
              `The old secret keeps working for 24 hours: deliveries until ${until} carry signatures with both, then with the new one only.`,
            )}
          </span>
        }
        onClose={() => setRotated(null)}
      />
    </>
  );
}

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
      // A pending delivery whose time has come waits its turn behind the one before it (one at a time, in order).
      render: (_, delivery) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {delivery.status !== 'pending' || delivery.nextAttemptAt === null
            ? '—'
            : Date.parse(delivery.nextAttemptAt) <= Date.now()
              ? t('排队中', 'Queued')
              : formatDateTime(delivery.nextAttemptAt)}
        </span>
      ),
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
            <Descriptions.Item label={t('订阅 ID', 'Subscription id')}>
              <code>{subscription.id}</code>
            </Descriptions.Item>
            <Descriptions.Item label={t('密钥轮换', 'Secret rotated')}>{formatDateTime(subscription.secretRotatedAt)}</Descriptions.Item>
          </Descriptions>
          {subscription.status === 'active' && (
            <Space>
              <RotateSecret webhook={subscription} onDone={webhook.reload} />
              <DeleteWebhook
                webhook={subscription}
                onDone={() => {
                  navigate('/webhooks');
                }}
              />
            </Space>
          )}
        </Card>
      )}
      <Card title={t('投递记录', 'Delivery log')}>
        <Typography.Paragraph type="secondary">
          {t(
            '按订阅依次投递：前一条送达或失败后才投递下一条。首次投递立即进行，失败后按服务的重试计划再试（默认依次间隔 5 秒、5 分钟、30 分钟、2 小时、5 小时、10 小时、10 小时，共 8 次，约一天），仍失败则标记为失败，可重新投递。每条的下次尝试时间见下表；重新投递使用相同的 webhook-id。',
            'Delivered in order: the next waits until the one before is delivered or failed. The first attempt is at once; after a failure it is retried on the service’s schedule (by default after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about a day), then marked failed and can be redelivered. Each delivery’s next attempt is in the table; a redelivery has the same webhook-id.',
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
