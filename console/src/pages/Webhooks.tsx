// 事件推送 (webhooks, decision 0044): an issuer's region, a provider or an enterprise subscribes a URL to the events
// it may receive; each delivery is signed per Standard Webhooks with a secret shown once, when it is created (or
// rotated, on the subscription's own page: decision 0047).
import { Alert, Button, Card, Checkbox, Col, Form, Input, Modal, Row, Space, Table, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError } from '../api';
import { useSession } from '../auth';
import { type Columns, LoadMore, PageTitle, ProblemAlert, usePaged } from '../components';
import { formatDateTime } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { CreatedWebhook, Webhook, WebhookEventType } from '../types';
import { EventLabel, EVENTS_FOR, SubscriptionStatus } from '../webhooks';

/** Three lines a receiver verifies a delivery with: the `standardwebhooks` package and the secret. */
const snippet = (secret: string) =>
  [
    "import { Webhook } from 'standardwebhooks';",
    `const wh = new Webhook('${secret}');`,
    'const event = wh.verify(rawBody, headers); // throws if forged or stale',
  ].join('\n');

/**
 * A secret just made, a new subscription's or a rotated one's (decision 0047): shown here once, with a copy button
 * and the lines a receiver verifies with; the API never shows it again. `notice` says what it signs and since when.
 */
export function SecretDialog({ secret, title, notice, onClose }: { secret: string | null; title: string; notice: ReactNode; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      onOk={onClose}
      okText={t('我已保存', 'I have saved it')}
      cancelButtonProps={{ style: { display: 'none' } }}
      mask={{ closable: false }}
      width={720}
      destroyOnHidden
    >
      {secret !== null && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={t('密钥只显示这一次，关闭后无法再次查看。', 'The secret is shown this once: it cannot be seen again once closed.')}
            description={notice}
          />
          <Typography.Paragraph>
            {t('签名密钥', 'Signing secret')}：{' '}
            <Typography.Text code copyable={{ text: secret, tooltips: [t('复制密钥', 'Copy the secret'), t('已复制', 'Copied')] }} data-testid="webhook-secret">
              {secret}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph type="secondary">
            {t(
              '接收方以 standardwebhooks 包验证签名（按 webhook-id 去重）：',
              'A receiver verifies with the standardwebhooks package (and deduplicates by webhook-id):',
            )}
          </Typography.Paragraph>
          <pre style={{ background: '#f5f5f5', padding: 12, borderRadius: 6, overflowX: 'auto', fontSize: 12 }} data-testid="webhook-snippet">
            {snippet(secret)}
          </pre>
        </>
      )}
    </Modal>
  );
}

/** Deletes (disables) a subscription after a confirmation: its pending deliveries are cancelled, its log kept. */
export function DeleteWebhook({ webhook, onDone }: { webhook: Webhook; onDone(webhook: Webhook): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  async function remove() {
    setBusy(true);
    setProblem(null);
    try {
      const deleted = await api<Webhook>('DELETE', `/v1/webhooks/${encodeURIComponent(webhook.id)}`);
      setOpen(false);
      onDone(deleted);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setProblem(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <Button size="small" danger onClick={() => setOpen(true)} aria-label={t(`删除订阅 ${webhook.url}`, `Delete the subscription ${webhook.url}`)}>
        {t('删除', 'Delete')}
      </Button>
      <Modal
        open={open}
        title={t('删除订阅', 'Delete the subscription')}
        okText={t('确认删除', 'Delete')}
        cancelText={t('返回', 'Back')}
        okButtonProps={{ danger: true }}
        confirmLoading={busy}
        onOk={() => void remove()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>
          {t(
            `删除后不再向 ${webhook.url} 推送事件，尚未投递的推送将取消；投递记录仍保留。`,
            `No more events go to ${webhook.url}; deliveries not yet made are cancelled. Its delivery log is kept.`,
          )}
        </Typography.Paragraph>
        <ProblemAlert problem={problem} onClose={() => setProblem(null)} />
      </Modal>
    </>
  );
}

interface Values {
  url: string;
  events: WebhookEventType[];
  description?: string;
}

function Subscribe({ onCreated }: { onCreated(created: CreatedWebhook): void }) {
  const { t } = useI18n();
  const { claims } = useSession();
  const [form] = Form.useForm<Values>();
  const submission = useSubmission(form);
  const receivable = claims.role === 'auditor' ? [] : EVENTS_FOR[claims.role];
  return (
    <Card title={t('新建订阅', 'New subscription')} data-testid="webhook-create">
      <Typography.Paragraph type="secondary">
        {t(
          '所选事件发生时，系统向该地址 POST 一条签名消息（至少送达一次，按账本顺序），失败时在约一天内重试。每个地区或机构最多 10 个有效订阅。',
          'When a chosen event happens, a signed message is POSTed to the URL (at least once, in ledger order), retried for about a day. At most 10 active subscriptions each.',
        )}
      </Typography.Paragraph>
      <Form
        form={form}
        name="webhookCreate"
        layout="vertical"
        onFinish={async (values) => {
          const description = values.description?.trim();
          // In the order the API lists them, whatever order they were ticked in.
          const events = receivable.filter((type) => values.events.includes(type));
          const body = { url: values.url.trim(), events, ...(description ? { description } : {}) };
          const created = await submission.submit(body, (key) => api<CreatedWebhook>('POST', '/v1/webhooks', { body, idempotencyKey: key }));
          if (created) {
            form.resetFields();
            onCreated(created);
          }
        }}
      >
        <Form.Item
          label={t('接收地址（URL）', 'Receiver URL')}
          name="url"
          rules={[{ required: true, whitespace: true, message: t('请填写接收地址', 'Give the URL') }]}
          tooltip={t('生产环境须为 https://，且不得指向内网地址', 'https:// in production, and not a private address')}
        >
          <Input maxLength={2000} placeholder="https://erp.example.com/hooks/vouchers" />
        </Form.Item>
        <Form.Item label={t('订阅事件', 'Events')} name="events" rules={[{ required: true, message: t('请至少选择一个事件', 'Choose at least one event') }]}>
          <Checkbox.Group>
            <Row>
              {receivable.map((type) => (
                <Col span={24} key={type}>
                  <Checkbox value={type}>
                    <EventLabel type={type} />
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </Checkbox.Group>
        </Form.Item>
        <Form.Item label={t('说明（可选）', 'Description (optional)')} name="description">
          <Input maxLength={200} placeholder={t('如 财务系统对账', 'e.g. finance system reconciliation')} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('创建订阅', 'Subscribe')}
        </Button>
      </Form>
    </Card>
  );
}

export default function Webhooks() {
  const { t } = useI18n();
  const list = usePaged<Webhook>('/v1/webhooks', {}, []);
  // Auditors are refused webhooks (decision 0044): the list says so, and there is nothing to subscribe with.
  const mayFill = useSession().claims.role !== 'auditor';
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const columns: Columns<Webhook> = [
    {
      title: t('接收地址', 'URL'),
      dataIndex: 'url',
      key: 'url',
      // A long URL breaks anywhere, but never down to a character or two a line beside the other columns.
      onCell: () => ({ style: { minWidth: 240 } }),
      onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
      render: (url: string, webhook) => (
        <span>
          <Link to={`/webhooks/${encodeURIComponent(webhook.id)}`} style={{ wordBreak: 'break-all' }}>
            {url}
          </Link>
          {webhook.description && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {webhook.description}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: t('订阅事件', 'Events'),
      dataIndex: 'events',
      key: 'events',
      render: (events: string[]) => (
        <Space orientation="vertical" size={0}>
          {events.map((type) => (
            <EventLabel key={type} type={type} />
          ))}
        </Space>
      ),
    },
    { title: t('状态', 'Status'), key: 'status', render: (_, webhook) => <SubscriptionStatus status={webhook.status} /> },
    {
      title: t('创建', 'Created'),
      key: 'createdAt',
      render: (_, webhook) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(webhook.createdAt)}
          <Typography.Text type="secondary" style={{ display: 'block' }}>
            {webhook.createdBy}
          </Typography.Text>
        </span>
      ),
    },
    {
      title: t('操作', 'Action'),
      key: 'action',
      render: (_, webhook) => (
        <Space style={{ whiteSpace: 'nowrap' }}>
          <Link to={`/webhooks/${encodeURIComponent(webhook.id)}`}>{t('投递记录', 'Deliveries')}</Link>
          {webhook.status === 'active' && <DeleteWebhook webhook={webhook} onDone={list.reload} />}
        </Space>
      ),
    },
  ];
  return (
    <>
      <PageTitle>{t('事件推送', 'Webhooks')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} xxl={mayFill ? 15 : 24}>
          <Card title={t('订阅', 'Subscriptions')} style={{ marginBottom: 16 }}>
            <ProblemAlert problem={list.error} />
            <Table
              rowKey="id"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              size="small"
              scroll={{ x: true }}
              data-testid="webhooks"
            />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        {mayFill && (
          <Col xs={24} xxl={9}>
            <Subscribe
              onCreated={(subscription) => {
                setCreated(subscription);
                list.reload();
              }}
            />
          </Col>
        )}
      </Row>
      <SecretDialog
        secret={created?.secret ?? null}
        title={t('订阅已创建：请保存签名密钥', 'Subscription created: save its signing secret')}
        notice={t(
          '每次推送的 webhook-signature 均以此密钥签名；如遗失，可在订阅详情中轮换密钥。',
          'Every delivery’s webhook-signature is made with it; if it is lost, rotate it on the subscription’s page.',
        )}
        onClose={() => setCreated(null)}
      />
    </>
  );
}
