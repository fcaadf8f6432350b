import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Result, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, get } from '../api';
import { DocumentUpload } from '../applications';
import { claimStatusName, claimSteps } from '../claims';
import { AMOUNT_PATTERN, Money, PageTitle, ProblemAlert, usePaged } from '../components';
import { formatRate, formatYuan, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { ClaimTerms, Contract, DocumentMeta, RedemptionResult } from '../types';
import { VerifyButton } from '../VerifyEntry';
import { LimitedByText } from './VoucherDetail';

interface Values {
  voucherId: string;
  contractId: string;
  executedAmount: string;
  executedOn: dayjs.Dayjs;
  invoiceNumber: string;
}

/** A voucher as a provider with a contract against it reads it, with its program's claim terms. */
interface ProviderVoucher {
  id: string;
  kind: string;
  status: string;
  balance: string;
  expiresOn: string;
  claims: ClaimTerms;
}

/**
 * Whether the voucher's program takes claims (decision 0041), from the voucher view; `unknown` while the voucher
 * cannot be read (the documents are then optional here and the API decides).
 */
type Terms = { mode: 'claims'; terms: Partial<ClaimTerms> } | { mode: 'direct' } | { mode: 'unknown' };

function useVoucherTerms(voucherId: string | undefined, round: number) {
  const [voucher, setVoucher] = useState<ProviderVoucher | null>(null);
  const [terms, setTerms] = useState<Terms>({ mode: 'unknown' });
  const id = voucherId?.trim() ?? '';
  const [readFor, setReadFor] = useState(id);
  // Another voucher: what was known of the last one no longer holds (a new read of the same one keeps it meanwhile).
  if (readFor !== id) {
    setReadFor(id);
    setVoucher(null);
    setTerms({ mode: 'unknown' });
  }
  useEffect(() => {
    if (!id) return;
    const controller = new AbortController();
    // Read once the typing has stopped.
    const timer = setTimeout(async () => {
      try {
        const read = await get<ProviderVoucher>(`/v1/vouchers/${encodeURIComponent(id)}`, undefined, controller.signal);
        if (controller.signal.aborted) return;
        setVoucher(read);
        setTerms(read.claims.beneficiaryConfirmation || read.claims.review ? { mode: 'claims', terms: read.claims } : { mode: 'direct' });
      } catch {
        // Not a voucher this provider may read (no contract against it): the redemption itself will say why.
      }
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [id, round]);
  return { voucher, terms, setTerms };
}

export default function Redeem() {
  const { t } = useI18n();
  const contracts = usePaged<Contract>('/v1/contracts', { limit: '200' }, []);
  const [form] = Form.useForm<Values>();
  const submission = useSubmission(form);
  const [result, setResult] = useState<RedemptionResult | null>(null);
  const [documents, setDocuments] = useState<DocumentMeta[]>([]);
  const [documentsChecked, setDocumentsChecked] = useState(false);
  const voucherId = Form.useWatch('voucherId', form);
  // Read again after each redemption: its balance has changed, and a first claim tells the program's terms.
  const [round, setRound] = useState(0);
  const { voucher, terms, setTerms } = useVoucherTerms(voucherId, round);
  const claims = terms.mode === 'claims';
  // A program with claims takes 2–20 documents; documents given where it is not known are checked the same way.
  const documentsWanted = claims || (terms.mode === 'unknown' && documents.length > 0);
  const documentsWrong = documentsWanted && (documents.length < 2 || documents.length > 20);
  async function finish(values: Values) {
    setDocumentsChecked(true);
    if (documentsWrong) return;
    setResult(null);
    const body = {
      ...values,
      executedOn: values.executedOn.format('YYYY-MM-DD'),
      ...(documents.length && terms.mode !== 'direct' ? { documents: documents.map((document) => document.sha256) } : {}),
    };
    const redemption = await submission.submit(body, (key) => api<RedemptionResult>('POST', '/v1/redemptions', { body, idempotencyKey: key }));
    if (redemption) {
      setResult(redemption);
      setDocuments([]);
      setDocumentsChecked(false);
      setRound((n) => n + 1);
    }
  }
  // The API asks for documents: this voucher's program takes claims.
  useEffect(() => {
    const problem = submission.problem;
    if (
      terms.mode === 'unknown' &&
      problem instanceof ApiError &&
      [problem.field, ...problem.errors.map((error) => error.field)].some((field) => field?.startsWith('documents'))
    )
      setTerms({ mode: 'claims', terms: {} });
  }, [submission.problem, terms.mode, setTerms]);
  const claimResult = result?.status && result.status !== 'approved' ? result.status : null;
  return (
    <>
      <PageTitle>{t('核销补贴券', 'Redeem a voucher')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t('核销申请', 'Redemption')}>
            <Form
              form={form}
              layout="vertical"
              onFinish={finish}
              onFinishFailed={() => setDocumentsChecked(true)}
              initialValues={{ executedOn: dayjs(todayInShanghai()) }}
            >
              <Form.Item
                label={t('补贴券编号', 'Voucher id')}
                name="voucherId"
                rules={[{ required: true }]}
                extra={
                  voucher && (
                    <span data-testid="voucher-terms">
                      {t('余额', 'Balance')} {formatYuan(voucher.balance)} · {t('有效期至', 'expires')} {voucher.expiresOn}
                      {terms.mode === 'direct' ? ` · ${t('直接核销', 'direct redemption')}` : ''}
                    </span>
                  )
                }
              >
                <Input />
              </Form.Item>
              <Form.Item label={t('合同', 'Contract')} name="contractId" rules={[{ required: true }]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={contracts.loading}
                  options={contracts.items.map((contract) => ({
                    value: contract.id,
                    label: `${contract.number} · ${contract.beneficiaryUscc} · ${formatYuan(contract.amount)}`,
                  }))}
                />
              </Form.Item>
              <Form.Item
                label={t('本次执行金额（元）', 'Executed amount (yuan)')}
                name="executedAmount"
                rules={[{ required: true }, { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'At most two decimals') }]}
              >
                <Input inputMode="decimal" style={{ textAlign: 'right' }} />
              </Form.Item>
              <Form.Item label={t('执行日期', 'Executed on')} name="executedOn" rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item label={t('发票号', 'Invoice number')} name="invoiceNumber" rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              {claims && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 16 }}
                  data-testid="claim-notice"
                  title={t('本项目实行核销审核：补贴先预留，核准后方计应付', 'This program takes claims: the subsidy is reserved, owed only once approved')}
                  description={t(
                    `提交后按规则测算的补贴从补贴券中预留，待${claimSteps(terms.terms, t)}通过后方计应付。请上传合同和发票等证明材料（至少 2 份）。`,
                    `The subsidy computed on submission is reserved on the voucher, owed only once ${claimSteps(terms.terms, t)}. Upload the contract and the invoice (at least 2 documents).`,
                  )}
                />
              )}
              {terms.mode !== 'direct' && (
                <Form.Item
                  label={
                    claims
                      ? t('核销材料（合同、发票等）', 'Documents (contract, invoice…)')
                      : t('核销材料（实行核销审核的项目必填）', 'Documents (for a program with claims)')
                  }
                  required={claims}
                  validateStatus={documentsChecked && documentsWrong ? 'error' : undefined}
                  help={
                    documentsChecked && documentsWrong
                      ? documents.length > 20
                        ? t('最多 20 份材料', 'At most 20 documents')
                        : t('请上传合同和发票等材料，至少 2 份', 'Upload the contract and the invoice: at least 2 documents')
                      : undefined
                  }
                  extra={
                    claims
                      ? undefined
                      : t(
                          '项目须企业确认或审核时，须上传合同和发票（至少 2 份）；否则无需上传。',
                          'When the program requires confirmation or review, upload the contract and the invoice (at least 2); otherwise none.',
                        )
                  }
                >
                  <DocumentUpload documents={documents} onChange={setDocuments} />
                </Form.Item>
              )}
              <Button type="primary" htmlType="submit" loading={submission.submitting}>
                {claims ? t('提交核销申请', 'Submit the claim') : t('提交核销', 'Redeem')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={14}>
          {submission.problem && (
            <Card title={t('核销未通过', 'Refused')} data-testid="redemption-refusal">
              <ProblemAlert problem={submission.problem} />
            </Card>
          )}
          {result && (
            <Card data-testid="redemption-result">
              {claimResult ? (
                <Result
                  status="info"
                  title={
                    <>
                      {t('已预留补贴', 'Reserved')} {formatYuan(result.subsidy)}
                    </>
                  }
                  subTitle={
                    <>
                      <span data-testid="claim-status">{claimStatusName(claimResult, t)[0]}</span>
                      {' · '}
                      {claimResult === 'awaiting_confirmation'
                        ? t('待企业确认实付金额后进入审核；核准前不计应付、不能结算。', 'The enterprise confirms what it paid; nothing is owed until approved.')
                        : t('待发放机构审核；核准前不计应付、不能结算。', 'The issuer reviews it; nothing is owed until approved.')}
                    </>
                  }
                  extra={<Link to={`/redemptions/${result.id}`}>{t('查看核销申请', 'See the claim')}</Link>}
                />
              ) : (
                <Result
                  status={result.limitedBy ? 'warning' : 'success'}
                  title={
                    <>
                      {t('补贴', 'Subsidy')} {formatYuan(result.subsidy)}
                    </>
                  }
                  subTitle={<LimitedByText limitedBy={result.limitedBy} />}
                />
              )}
              {result.limitedBy && (
                <Alert
                  type="warning"
                  showIcon
                  style={{ marginBottom: 16 }}
                  title={t(
                    `按比例应补 ${formatYuan(result.entitlement)}，实际补贴 ${formatYuan(result.subsidy)}`,
                    `Entitled to ${formatYuan(result.entitlement)}, granted ${formatYuan(result.subsidy)}`,
                  )}
                  description={<LimitedByText limitedBy={result.limitedBy} />}
                />
              )}
              <Descriptions bordered size="small" column={1}>
                <Descriptions.Item label={t('执行金额', 'Executed amount')}>
                  <Money value={result.executedAmount} />
                </Descriptions.Item>
                <Descriptions.Item label={t('补贴比例', 'Rate')}>{formatRate(result.rate)}</Descriptions.Item>
                <Descriptions.Item label={t('按比例应补', 'Entitlement')}>
                  <Money value={result.entitlement} />
                </Descriptions.Item>
                <Descriptions.Item label={claimResult ? t('预留补贴', 'Reserved subsidy') : t('实际补贴', 'Subsidy')}>
                  <Money value={result.subsidy} strong />
                </Descriptions.Item>
                <Descriptions.Item label={t('限制因素', 'Limited by')}>
                  <LimitedByText limitedBy={result.limitedBy} />
                </Descriptions.Item>
                <Descriptions.Item label={t('补贴券余额', 'Voucher balance')}>
                  <Money value={result.voucherBalance} />
                </Descriptions.Item>
                <Descriptions.Item label={t('核销编号 / 账本序号', 'Redemption / ledger seq')}>
                  {result.id} / #{result.ledgerSeq}
                </Descriptions.Item>
                {result.receipt && (
                  <Descriptions.Item label={t('回执（默克尔树大小 / 叶序号）', 'Receipt (Merkle tree size / leaf index)')}>
                    <span data-testid="receipt-tree-size">{result.receipt.treeSize}</span> /{' '}
                    <span data-testid="receipt-leaf-index">{result.receipt.leafIndex}</span>{' '}
                    <VerifyButton
                      seq={result.receipt.seq}
                      receipt={result.receipt}
                      label={t(`验证回执 #${result.receipt.seq}`, `Verify the receipt of #${result.receipt.seq}`)}
                    />
                  </Descriptions.Item>
                )}
              </Descriptions>
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
