import { Alert, Button, Card, Form, Input, Layout, Space, Spin, Typography } from 'antd';
import { useState } from 'react';
import { ApiError, get } from './api';
import { useAuth } from './auth';
import { useI18n } from './i18n';
import { isExpired, readClaims } from './session';
import { LanguageSwitch } from './Shell';

/** A request every role may make and that writes nothing: does the API accept the token? */
function probe(role: string, org: string | undefined): Promise<unknown> {
  if (role === 'issuer') return get('/v1/programs/awaiting-confirmation');
  if (role === 'auditor') return get('/v1/ledger', { limit: 1 });
  if (role === 'enterprise') return get('/v1/applications', { limit: 1 });
  return get(`/v1/providers/${encodeURIComponent(org ?? '')}`).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return undefined; // accepted: the provider is just not registered anywhere
    throw err;
  });
}

export function SignIn() {
  const { t } = useI18n();
  const { reason, signingIn, signIn, signOut } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasons: Record<string, string> = {
    expired: t('登录已过期，请重新登录。', 'Your session expired; sign in again.'),
    malformed: t('登录链接给出的令牌无效。', 'The sign-in link gave no valid token.'),
  };
  const linkSpent = reason === 'link';

  async function submit({ token }: { token: string }) {
    setError(null);
    let claims;
    try {
      claims = readClaims(token);
    } catch {
      setError(t('这不是有效的访问令牌（JWT）。', 'This is not a valid access token (JWT).'));
      return;
    }
    if (isExpired(claims)) {
      setError(reasons['expired']!);
      return;
    }
    setBusy(true);
    try {
      signIn(token);
      await probe(claims.role, claims.org);
    } catch (err) {
      if (err instanceof ApiError && err.status !== 401) signOut(err.detail);
    } finally {
      setBusy(false);
    }
  }

  const shown = error ?? (reason && !linkSpent ? (reasons[reason] ?? reason) : null);
  const title = t('登录 · 浙江省人工智能补贴券管理台', 'Sign in · Zhejiang AI Voucher Console');
  if (signingIn)
    return (
      <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', background: '#eef2f9' }}>
        <Card style={{ width: 520 }} title={title}>
          <Spin description={t('正在通过登录链接登录…', 'Signing in with the link…')}>
            <div style={{ height: 64 }} />
          </Spin>
        </Card>
      </Layout>
    );
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', justifyContent: 'center', background: '#eef2f9' }}>
      <Card style={{ width: 520 }} title={title} extra={<LanguageSwitch />}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          {linkSpent && (
            <Alert
              type="error"
              showIcon
              role="alert"
              data-testid="sign-in-link-refused"
              title={t('登录链接已失效', 'This sign-in link no longer works')}
              description={t(
                '此登录链接已使用或已过期（链接只能使用一次，有效期 5 分钟）。请向运维人员索取新的登录链接，或在下方粘贴访问令牌。',
                'This sign-in link has been used or has expired (a link works once, for 5 minutes). Ask for a new one, or paste an access token below.',
              )}
            />
          )}
          {shown && <Alert type="warning" showIcon role="alert" title={t('未登录', 'Signed out')} description={shown} />}
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item label={t('访问令牌', 'Access token')} name="token" rules={[{ required: true, message: t('请粘贴访问令牌', 'Paste your access token') }]}>
              <Input.TextArea rows={4} autoFocus spellCheck={false} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} block>
              {t('登录', 'Sign in')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t(
              '运维人员可生成一次性登录链接（5 分钟内有效，仅可使用一次）：',
              'Operators can print a one-time sign-in link (it works once, within 5 minutes): ',
            )}
            <Typography.Text code>npm run -s token -- --role issuer --region 330100 --console</Typography.Text>
          </Typography.Paragraph>
        </Space>
      </Card>
    </Layout>
  );
}
