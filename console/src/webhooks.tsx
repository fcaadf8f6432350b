// Webhooks (事件推送, decision 0044): the event types in words, which of them each role may subscribe to, and the
// statuses of a subscription and of a delivery.
import { Tag } from 'antd';
import type { Translate } from './i18n';
import { useI18n } from './i18n';
import type { Webhook, WebhookDelivery, WebhookEventType } from './types';

/** Every event type in words, in the API's order (the Record makes the console list each one the API has). */
const EVENT_NAMES: Record<WebhookEventType, [string, string]> = {
  'application.decided': ['申报审核结果', 'Application decided'],
  'notice.opened': ['公示开始', 'Public notice opened'],
  'voucher.granted': ['补贴券发放', 'Voucher granted'],
  'voucher.expiring': ['补贴券即将到期', 'Voucher expiring'],
  'voucher.expired': ['补贴券失效', 'Voucher expired'],
  'claim.submitted': ['核销提交', 'Claim submitted'],
  'claim.confirmed': ['企业确认核销', 'Claim confirmed'],
  'claim.disputed': ['企业对核销提出异议', 'Claim disputed'],
  'claim.decided': ['核销审核结果', 'Claim decided'],
  'payment.approved': ['支付批次审批', 'Payment approved'],
  'payment.paid': ['已支付', 'Payment paid'],
  'payment.recovered': ['拨付收回', 'Payment recovered'],
};

export const EVENT_TYPES = Object.keys(EVENT_NAMES) as WebhookEventType[];

/**
 * What each kind of subscriber may receive, as src/webhooks/rules/events.ts (EVENTS_FOR) says: an issuer every
 * event of its region; a provider the claims and payments naming it; an enterprise its applications, vouchers and
 * claims. The API refuses any other (400 naming events[i]); the form offers only these.
 */
export const EVENTS_FOR: Record<'issuer' | 'provider' | 'enterprise', readonly WebhookEventType[]> = {
  issuer: EVENT_TYPES,
  provider: ['claim.submitted', 'claim.confirmed', 'claim.disputed', 'claim.decided', 'payment.approved', 'payment.paid', 'payment.recovered'],
  enterprise: [
    'application.decided',
    'notice.opened',
    'voucher.granted',
    'voucher.expiring',
    'voucher.expired',
    'claim.submitted',
    'claim.confirmed',
    'claim.disputed',
    'claim.decided',
  ],
};

export function eventName(type: string, t: Translate): string {
  const name = EVENT_NAMES[type as WebhookEventType];
  return name ? t(name[0], name[1]) : type;
}

/** An event type as its name and its code (the code is what a receiver's payload says in `type`). */
export function EventLabel({ type }: { type: string }) {
  const { t } = useI18n();
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      {eventName(type, t)} <code style={{ color: 'rgba(0,0,0,0.55)' }}>{type}</code>
    </span>
  );
}

export function SubscriptionStatus({ status }: { status: Webhook['status'] }) {
  const { t } = useI18n();
  return status === 'active' ? <Tag color="green">{t('启用中', 'active')}</Tag> : <Tag>{t('已删除', 'deleted')}</Tag>;
}

export const DELIVERY_STATUS_NAMES = (t: Translate): Record<WebhookDelivery['status'], string> => ({
  pending: t('待投递', 'pending'),
  delivered: t('已送达', 'delivered'),
  failed: t('已失败', 'failed'),
  cancelled: t('已取消', 'cancelled'),
});

export function DeliveryStatus({ status }: { status: WebhookDelivery['status'] }) {
  const { t } = useI18n();
  const colors: Record<WebhookDelivery['status'], string | undefined> = { pending: 'gold', delivered: 'green', failed: 'red', cancelled: undefined };
  return <Tag color={colors[status]}>{DELIVERY_STATUS_NAMES(t)[status]}</Tag>;
}
