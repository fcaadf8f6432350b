import { Alert, Button, Card, Col, DatePicker, Descriptions, Form, Input, Result, Row, Select } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../api';
import { AMOUNT_PATTERN, Money, PageTitle, ProblemAlert, usePaged } from '../components';
import { formatRate, formatYuan, todayInShanghai } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Contract, RedemptionResult } from '../types';
import { LimitedByText } from './VoucherDetail';

interface Values {
  voucherId: string;
  contractId: string;
  executedAmount: string;
  executedOn: dayjs.Dayjs;
  invoiceNumber: string;
}

export default function Redeem() {
  const { t } = useI18n();
  const contracts = usePaged<Contract>('/v1/contracts', { limit: '200' }, []);
  const [form] = Form.useForm<Values>();
  const submission = useSubmission(form);
  const [result, setResult] = useState<RedemptionResult | null>(null);
  async function finish(values: Values) {
    setResult(null);
    const body = { ...values, executedOn: values.executedOn.format('YYYY-MM-DD') };
    const redemption = await submission.submit(body, (key) => api<RedemptionResult>('POST', '/v1/redemptions', { body, idempotencyKey: key }));
    if (redemption) setResult(redemption);
  }
  return (
    <>
      <PageTitle>{t('核销补贴券', 'Redeem a voucher')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={10}>
          <Card title={t('核销申请', 'Redemption')}>
            <Form form={form} layout="vertical" onFinish={finish} initialValues={{ executedOn: dayjs(todayInShanghai()) }}>
              <Form.Item label={t('补贴券编号', 'Voucher id')} name="voucherId" rules={[{ required: true }]}>
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
              <Button type="primary" htmlType="submit" loading={submission.submitting}>
                {t('提交核销', 'Redeem')}
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
              <Result
                status={result.limitedBy ? 'warning' : 'success'}
                title={
                  <>
                    {t('补贴', 'Subsidy')} {formatYuan(result.subsidy)}
                  </>
                }
                subTitle={<LimitedByText limitedBy={result.limitedBy} />}
              />
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
                <Descriptions.Item label={t('实际补贴', 'Subsidy')}>
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
              </Descriptions>
            </Card>
          )}
        </Col>
      </Row>
    </>
  );
}
