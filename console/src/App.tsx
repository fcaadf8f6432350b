import { App as AntApp, Button, ConfigProvider, Layout, Spin, Typography } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { useI18n } from './i18n';
import { LanguageSwitch, Shell } from './Shell';
import { SignIn } from './SignIn';

// Every page is its own chunk: the first page loads the shell and that page only.
const Programs = lazy(() => import('./pages/Programs'));
const ProgramDetail = lazy(() => import('./pages/ProgramDetail'));
const VoucherDetail = lazy(() => import('./pages/VoucherDetail'));
const Beneficiary = lazy(() => import('./pages/Beneficiary'));
const ProvidersRegister = lazy(() => import('./pages/ProvidersRegister'));
const PaymentBatches = lazy(() => import('./pages/PaymentBatches'));
const PaymentBatchDetail = lazy(() => import('./pages/PaymentBatchDetail'));
const Contracts = lazy(() => import('./pages/Contracts'));
const Redeem = lazy(() => import('./pages/Redeem'));
const Redemptions = lazy(() => import('./pages/Redemptions'));
const Ledger = lazy(() => import('./pages/Ledger'));
const Audit = lazy(() => import('./pages/Audit'));
const Applications = lazy(() => import('./pages/Applications'));
const ApplicationDetail = lazy(() => import('./pages/ApplicationDetail'));
const Reviews = lazy(() => import('./pages/Reviews'));
const MyVouchers = lazy(() => import('./pages/MyVouchers'));
const PublicNotices = lazy(() => import('./pages/PublicNotices'));
const ClaimDetail = lazy(() => import('./pages/ClaimDetail'));
const Claims = lazy(() => import('./pages/Claims'));
const ClaimReviews = lazy(() => import('./pages/ClaimReviews'));
const Watchlist = lazy(() => import('./pages/Watchlist'));
const RelatedParties = lazy(() => import('./pages/RelatedParties'));
const SpotCheckDetail = lazy(() => import('./pages/SpotCheckDetail'));
const AnnualReport = lazy(() => import('./pages/AnnualReport'));
const Webhooks = lazy(() => import('./pages/Webhooks'));
const WebhookDetail = lazy(() => import('./pages/WebhookDetail'));

const HOME = { issuer: '/programs', provider: '/redeem', auditor: '/ledger', enterprise: '/applications' } as const;

const loading = <Spin style={{ display: 'block', margin: 48 }} />;

/** The public notices, for anyone: no sign-in, no token sent. */
function PublicPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, background: '#0f2a5c', paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap', flex: 1 }}>
          {t('浙江省人工智能补贴券 · 公示', 'Zhejiang AI Vouchers · Public notices')}
        </Typography.Text>
        <LanguageSwitch />
        <Button size="small" onClick={() => navigate('/')}>
          {t('登录管理台', 'Sign in')}
        </Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1280, width: '100%', margin: '0 auto' }}>
        <Suspense fallback={loading}>
          <PublicNotices />
        </Suspense>
      </Layout.Content>
    </Layout>
  );
}

function Pages() {
  const { session } = useAuth();
  const location = useLocation();
  // Before the sign-in gate: the public notices need no account.
  if (!session && (location.pathname === '/notices' || location.pathname.startsWith('/notices/'))) return <PublicPage />;
  if (!session) return <SignIn />;
  return (
    <Shell>
      <Suspense fallback={loading}>
        <Routes>
          <Route path="/" element={<Navigate to={HOME[session.claims.role]} replace />} />
          <Route path="/programs" element={<Programs />} />
          <Route path="/programs/:id" element={<ProgramDetail />} />
          <Route path="/vouchers/:id" element={<VoucherDetail />} />
          <Route path="/beneficiaries" element={<Beneficiary />} />
          <Route path="/beneficiaries/:uscc" element={<Beneficiary />} />
          <Route path="/providers" element={<ProvidersRegister />} />
          <Route path="/payment-batches" element={<PaymentBatches />} />
          <Route path="/payment-batches/:id" element={<PaymentBatchDetail />} />
          <Route path="/contracts" element={<Contracts />} />
          <Route path="/redeem" element={<Redeem />} />
          <Route path="/redemptions" element={<Redemptions />} />
          <Route path="/redemptions/:id" element={<ClaimDetail />} />
          <Route path="/claims" element={<Claims />} />
          <Route path="/claims/:id" element={<ClaimDetail />} />
          <Route path="/claim-reviews" element={<ClaimReviews />} />
          <Route path="/claim-reviews/:id" element={<ClaimDetail />} />
          <Route path="/ledger" element={<Ledger />} />
          <Route path="/audit" element={<Audit />} />
          <Route path="/applications" element={<Applications />} />
          <Route path="/applications/:id" element={<ApplicationDetail />} />
          <Route path="/reviews" element={<Reviews />} />
          <Route path="/reviews/:id" element={<ApplicationDetail />} />
          <Route path="/vouchers" element={<MyVouchers />} />
          <Route path="/notices" element={<PublicNotices />} />
          <Route path="/watchlist" element={<Watchlist />} />
          <Route path="/related-parties" element={<RelatedParties />} />
          <Route path="/spot-checks/:id" element={<SpotCheckDetail />} />
          <Route path="/reports/annual" element={<AnnualReport />} />
          <Route path="/webhooks" element={<Webhooks />} />
          <Route path="/webhooks/:id" element={<WebhookDetail />} />
          <Route path="*" element={<Navigate to={HOME[session.claims.role]} replace />} />
        </Routes>
      </Suspense>
    </Shell>
  );
}

export function App() {
  const { language } = useI18n();
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d4ed8' } }}>
      <AntApp>
        <BrowserRouter basename="/console">
          <AuthProvider>
            <Pages />
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}
