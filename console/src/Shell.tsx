import { Button, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { useAuth, useSession } from './auth';
import { useI18n } from './i18n';
import { regionName } from './regions';

export function RoleName({ role }: { role: string }) {
  const { t } = useI18n();
  const names: Record<string, string> = {
    issuer: t('发放机构', 'Issuer'),
    provider: t('服务商', 'Provider'),
    auditor: t('审计', 'Auditor'),
    enterprise: t('企业', 'Enterprise'),
    system: t('系统', 'System'),
  };
  return <>{names[role] ?? role}</>;
}

export function LanguageSwitch() {
  const { language, setLanguage } = useI18n();
  return (
    <Segmented
      aria-label="语言 / Language"
      size="small"
      value={language}
      onChange={(value) => setLanguage(value as 'zh' | 'en')}
      options={[
        { label: '中文', value: 'zh' },
        { label: 'English', value: 'en' },
      ]}
    />
  );
}

interface MenuItem {
  key: string;
  label: string;
  children?: { key: string; label: string }[];
}

export function Shell({ children }: { children: ReactNode }) {
  const { t, language } = useI18n();
  const { signOut } = useAuth();
  const { claims } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  // The watchlist and related parties (decision 0042) under one entry: the header has no room for two more.
  const oversight = {
    key: 'oversight',
    label: t('监管', 'Oversight'),
    children: [
      { key: '/watchlist', label: t('监管名单', 'Watchlist') },
      { key: '/related-parties', label: t('关联方', 'Related parties') },
    ],
  };
  // The annual report (decision 0043), for issuers and auditors.
  const reports = { key: '/reports/annual', label: t('报表', 'Reports') };
  // Webhook subscriptions (decision 0044), for everyone but auditors (their work is to verify the ledger, not to be told).
  const webhooks = { key: '/webhooks', label: t('事件推送', 'Webhooks') };
  const items: MenuItem[] = {
    issuer: [
      { key: '/programs', label: t('补贴项目', 'Programs') },
      { key: '/beneficiaries', label: t('企业额度', 'Beneficiaries') },
      { key: '/providers', label: t('服务商名录', 'Provider register') },
      { key: '/payment-batches', label: t('支付批次', 'Payment batches') },
      { key: '/reviews', label: t('申报审核', 'Application review') },
      { key: '/claim-reviews', label: t('核销审核', 'Claim review') },
      reports,
      oversight,
      { key: '/notices', label: t('公示', 'Public notices') },
      webhooks,
    ],
    provider: [
      { key: '/contracts', label: t('合同', 'Contracts') },
      { key: '/redeem', label: t('核销', 'Redeem') },
      { key: '/redemptions', label: t('核销记录', 'Redemptions') },
      webhooks,
    ],
    auditor: [
      { key: '/ledger', label: t('账本', 'Ledger') },
      { key: '/audit', label: t('导出与检查点', 'Exports & checkpoint') },
      { key: '/programs', label: t('补贴项目', 'Programs') },
      { key: '/beneficiaries', label: t('企业额度', 'Beneficiaries') },
      { key: '/providers', label: t('服务商名录', 'Provider register') },
      { key: '/payment-batches', label: t('支付批次', 'Payment batches') },
      reports,
      oversight,
    ],
    enterprise: [
      { key: '/applications', label: t('申报', 'Applications') },
      { key: '/vouchers', label: t('我的补贴券', 'My vouchers') },
      { key: '/claims', label: t('待确认核销', 'Claims to confirm') },
      { key: '/notices', label: t('公示', 'Public notices') },
      webhooks,
    ],
  }[claims.role];
  const selected = items
    .flatMap((item) => item.children ?? [item])
    .filter((item) => location.pathname.startsWith(item.key))
    .map((item) => item.key);
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#0f2a5c', paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
          {t('浙江省人工智能补贴券', 'Zhejiang AI Vouchers')}
        </Typography.Text>
        <Menu
          theme="dark"
          mode="horizontal"
          style={{ flex: 1, minWidth: 0, background: 'transparent' }}
          selectedKeys={selected}
          items={items.map(({ key, label, children }) => (children ? { key, label, children } : { key, label }))}
          onClick={({ key }) => navigate(key)}
        />
        <Space size="middle" aria-label={t('当前用户', 'Signed in as')} role="group">
          <Tag color="gold" data-testid="signed-in-role">
            <RoleName role={claims.role} />
          </Tag>
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-scope">
            {claims.role === 'provider' || claims.role === 'enterprise' ? claims.org : regionName(claims.region, language)}
          </Typography.Text>
          <Typography.Text style={{ color: '#c7d2fe' }}>{claims.sub}</Typography.Text>
          <LanguageSwitch />
          <Button size="small" onClick={() => signOut()}>
            {t('退出', 'Sign out')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1280, width: '100%', margin: '0 auto' }}>{children}</Layout.Content>
    </Layout>
  );
}
