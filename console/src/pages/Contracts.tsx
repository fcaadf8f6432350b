import { Button, Card, Checkbox, Col, DatePicker, Form, Input, Row, Select, Switch, Table } from 'antd';
import type dayjs from 'dayjs';
import { api } from '../api';
import { AMOUNT_PATTERN, type Columns, KIND_OPTIONS, kindName, LoadMore, Money, PageTitle, ProblemAlert, usePaged } from '../components';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import type { Contract } from '../types';

interface Values {
  number: string;
  beneficiaryUscc: string;
  kind: string;
  autonomous?: boolean;
  amount: string;
  signedOn: dayjs.Dayjs;
  nationalKeyProject?: boolean;
  serviceCode?: string;
}

export default function Contracts() {
  const { t } = useI18n();
  const list = usePaged<Contract>('/v1/contracts', {}, []);
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const submission = useSubmission(form);
  async function finish(values: Values) {
    const body = {
      number: values.number,
      beneficiaryUscc: values.beneficiaryUscc,
      kind: values.kind,
      ...(values.kind === 'compute' ? { autonomous: values.autonomous ?? false } : {}),
      amount: values.amount,
      signedOn: values.signedOn.format('YYYY-MM-DD'),
      nationalKeyProject: values.nationalKeyProject ?? false,
      ...(values.serviceCode ? { serviceCode: values.serviceCode } : {}),
    };
    const contract = await submission.submit(body, (key) => api<Contract>('POST', '/v1/contracts', { body, idempotencyKey: key }));
    if (contract) {
      form.resetFields();
      list.reload();
    }
  }
  const columns: Columns<Contract> = [
    { title: t('合同编号', 'Number'), dataIndex: 'number', key: 'number' },
    { title: t('合同 ID', 'Id'), dataIndex: 'id', key: 'id', render: (id: string) => <code>{id}</code> },
    { title: t('受益企业', 'Beneficiary'), dataIndex: 'beneficiaryUscc', key: 'beneficiaryUscc' },
    {
      title: t('券种', 'Kind'),
      dataIndex: 'kind',
      key: 'kind',
      render: (value: string, contract) => `${kindName(value, t)}${contract.autonomous ? t('（自主可控）', ' (autonomous)') : ''}`,
    },
    { title: t('合同金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('已执行', 'Executed'), dataIndex: 'netExecuted', key: 'netExecuted', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('净补贴', 'Net subsidy'), dataIndex: 'netSubsidy', key: 'netSubsidy', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('签订日期', 'Signed'), dataIndex: 'signedOn', key: 'signedOn' },
  ];
  return (
    <>
      <PageTitle>{t('合同', 'Contracts')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={15}>
          <Card title={t('已登记合同', 'Registered contracts')}>
            <ProblemAlert problem={list.error} />
            <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="small" scroll={{ x: true }} />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        <Col xs={24} lg={9}>
          <Card title={t('登记合同', 'Register a contract')}>
            <Form form={form} layout="vertical" onFinish={finish} initialValues={{ kind: 'compute', autonomous: false, nationalKeyProject: false }}>
              <Form.Item label={t('合同编号', 'Contract number')} name="number" rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item
                label={t('受益企业统一社会信用代码', 'Beneficiary USCC')}
                name="beneficiaryUscc"
                rules={[{ required: true, len: 18, message: t('18 位统一社会信用代码', '18-character USCC') }]}
              >
                <Input maxLength={18} />
              </Form.Item>
              <Form.Item label={t('券种', 'Kind')} name="kind" rules={[{ required: true }]}>
                <Select options={KIND_OPTIONS(t)} />
              </Form.Item>
              {kind === 'compute' && (
                <Form.Item label={t('自主可控算力', 'Autonomous compute')} name="autonomous" valuePropName="checked">
                  <Switch />
                </Form.Item>
              )}
              <Form.Item
                label={t('合同金额（元）', 'Amount (yuan)')}
                name="amount"
                rules={[{ required: true }, { pattern: AMOUNT_PATTERN, message: t('金额最多两位小数', 'At most two decimals') }]}
              >
                <Input inputMode="decimal" style={{ textAlign: 'right' }} />
              </Form.Item>
              <Form.Item label={t('签订日期', 'Signed on')} name="signedOn" rules={[{ required: true }]}>
                <DatePicker style={{ width: '100%' }} />
              </Form.Item>
              <Form.Item label={t('服务编码（名录项目须填）', 'Service code (registered-provider programs)')} name="serviceCode">
                <Input />
              </Form.Item>
              <Form.Item name="nationalKeyProject" valuePropName="checked">
                <Checkbox>{t('国家支持的重点项目', 'State-supported key project')}</Checkbox>
              </Form.Item>
              <ProblemAlert problem={submission.problem} onClose={submission.clear} />
              <Button type="primary" htmlType="submit" loading={submission.submitting}>
                {t('登记', 'Register')}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
