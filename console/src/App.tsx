import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { AuthProvider, useAuth } from './auth';
import { useI18n } from './i18n';
import { Shell } from './Shell';
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

const HOME = { issuer: '/programs', provider: '/redeem', auditor: '/ledger' } as const;

function Pages() {
  const { session } = useAuth();
  if (!session) return <SignIn />;
  return (
    <Shell>
      <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
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
          <Route path="/ledger" element={<Ledger />} />
          <Route path="/audit" element={<Audit />} />
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
