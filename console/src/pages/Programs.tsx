import { Button, Card, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type dayjs from 'dayjs';
import { useNavigate } from 'react-router-dom';
import { api, get } from '../api';
import { useSession } from '../auth';
import { type Columns, KIND_OPTIONS, kindName, LoadMore, Money, PageTitle, ProblemAlert, useLoad, usePaged } from '../components';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { ProgramStatusTag } from '../oversight';
import { regionName } from '../regions';
import type { Program } from '../types';

interface CreateValues {
  name: string;
  kind: string;
  budget: string;
  requireRegisteredProviders: boolean;
  funding?: { region: string; ratio: string }[];
  issuance: 'direct' | 'application';
  applications?: { opensOn: dayjs.Dayjs; closesOn: dayjs.Dayjs; noticeWorkingDays: number; contact: { office: string; telephone: string } };
  claims?: { beneficiaryConfirmation?: boolean; review?: boolean; confirmationDays?: number };
  fiscalYear?: number | null;
  closesOn?: dayjs.Dayjs | null;
}

function CreateProgram({ onCreated }: { onCreated(program: Program): void }) {
  const { t } = useI18n();
  const { claims } = useSession();
  const [form] = Form.useForm<CreateValues>();
  const submission = useSubmission(form);
  async function finish(values: CreateValues) {
    const body = {
      name: values.name,
      kind: values.kind,
      budget: values.budget,
      requireRegisteredProviders: values.requireRegisteredProviders,
      ...(values.funding?.length ? { funding: values.funding } : {}),
      issuance: values.issuance,
      ...(values.issuance === 'application' && values.applications
        ? {
            applications: {
              opensOn: values.applications.opensOn.format('YYYY-MM-DD'),
              closesOn: values.applications.closesOn.format('YYYY-MM-DD'),
              noticeWorkingDays: values.applications.noticeWorkingDays,
              contact: { office: values.applications.contact.office.trim(), telephone: values.applications.contact.telephone.trim() },
            },
          }
        : {}),
      // Claim terms only when redemptions are claims: every other program is created as before.
      ...(values.claims?.beneficiaryConfirmation || values.claims?.review
        ? {
            claims: {
              beneficiaryConfirmation: !!values.claims.beneficiaryConfirmation,
              review: !!values.claims.review,
              ...(values.claims.beneficiaryConfirmation && values.claims.confirmationDays ? { confirmationDays: values.claims.confirmationDays } : {}),
            },
          }
        : {}),
      // The period only when given (both or neither, decision 0042): every other program is created as before.
      ...(values.fiscalYear && values.closesOn ? { fiscalYear: values.fiscalYear, closesOn: values.closesOn.format('YYYY-MM-DD') } : {}),
    };
    const program = await submission.submit(body, (key) => api<Program>('POST', '/v1/programs', { body, idempotencyKey: key }));
    if (program) {
      form.resetFields();
      onCreated(program);
    }
  }
  return (
    <Card title={t('新建补贴项目', 'New program')}>
      <Form
        form={form}
        layout="vertical"
        onFinish={finish}
        initialValues={{
          kind: 'compute',
          requireRegisteredProviders: false,
          issuance: 'direct',
          applications: { noticeWorkingDays: 5 },
          claims: { beneficiaryConfirmation: false, review: false, confirmationDays: 10 },
        }}
      >
        <Form.Item label={t('项目名称', 'Name')} name="name" rules={[{ required: true, message: t('请输入项目名称', 'Enter a name') }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item label={t('券种', 'Voucher kind')} name="kind" rules={[{ required: true }]}>
              <Select options={KIND_OPTIONS(t)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item label={t('预算（元）', 'Budget (yuan)')} name="budget" rules={[{ required: true, message: t('请输入预算', 'Enter the budget') }]}>
              <Input inputMode="decimal" placeholder="1000000.00" style={{ textAlign: 'right' }} />
            </Form.Item>
          </Col>
        </Row>
        <PeriodFields />
        <Form.Item label={t('仅限名录内服务商', 'Registered providers only')} name="requireRegisteredProviders" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item label={t('发放方式', 'Issuance')} name="issuance">
          <Radio.Group
            options={[
              { value: 'direct', label: t('直接发放', 'Issued directly') },
              { value: 'application', label: t('申报审核', 'By application and review') },
            ]}
          />
        </Form.Item>
        <Form.Item noStyle shouldUpdate={(previous: CreateValues, next: CreateValues) => previous.issuance !== next.issuance}>
          {({ getFieldValue }) => getFieldValue('issuance') === 'application' && <ApplicationTerms />}
        </Form.Item>
        <ClaimTermsFields />
        <Typography.Text type="secondary">
          {t('多级共担（可选）：各级财政出资比例，合计为 1，须含本级', 'Co-funding (optional): each region’s ratio, summing to 1, your own region included')}
        </Typography.Text>
        <Form.List name="funding">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex', marginTop: 8 }}>
                  <Form.Item label={t(`出资地区 ${index + 1}`, `Funder region ${index + 1}`)} name={[field.name, 'region']} rules={[{ required: true }]}>
                    <Input placeholder={claims.region} style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item label={t(`出资比例 ${index + 1}`, `Ratio ${index + 1}`)} name={[field.name, 'ratio']} rules={[{ required: true }]}>
                    <Input placeholder="0.6" style={{ width: 100 }} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>{t('删除', 'Remove')}</Button>
                </Space>
              ))}
              <Button type="dashed" onClick={() => add({ region: fields.length === 0 ? claims.region : '', ratio: '' })} style={{ margin: '8px 0 16px' }}>
                {t('添加出资地区', 'Add a funder')}
              </Button>
            </>
          )}
        </Form.List>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('创建项目', 'Create program')}
        </Button>
      </Form>
    </Card>
  );
}

/**
 * The program's period (decision 0042), optional: a fiscal year and the day from which it may be closed, from 1
 * January of that year to 31 December of the next; both or neither (the API refuses half).
 */
function PeriodFields() {
  const { t } = useI18n();
  const both = t('财政年度与关闭日须同时填写或同时留空', 'Give both the fiscal year and the closing day, or neither');
  return (
    <div data-testid="period-fields">
      <Typography.Text type="secondary">
        {t(
          '项目期间（可选）：关闭日起可年终关闭，补贴券有效期与申报截止日不得晚于关闭日；不填则为长期项目，可随时关闭',
          'Period (optional): the program may be closed from its closing day, and no voucher or application round may outlast it; without one it may be closed any day',
        )}
      </Typography.Text>
      <Row gutter={12} style={{ marginTop: 8 }}>
        <Col span={12}>
          <Form.Item
            label={t('财政年度', 'Fiscal year')}
            name="fiscalYear"
            dependencies={['closesOn']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value: number | null | undefined) =>
                  !value === !getFieldValue('closesOn') ? Promise.resolve() : Promise.reject(new Error(both)),
              }),
            ]}
          >
            <InputNumber min={2020} max={2100} precision={0} placeholder="2026" style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('关闭日', 'Closes on')}
            name="closesOn"
            dependencies={['fiscalYear']}
            tooltip={t('自该日（北京时间）起可关闭项目', 'The program may be closed from this day (Beijing time)')}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, value: dayjs.Dayjs | null | undefined) => {
                  const year = getFieldValue('fiscalYear') as number | null | undefined;
                  if (!value !== !year) return Promise.reject(new Error(both));
                  if (!value || !year) return Promise.resolve();
                  const day = value.format('YYYY-MM-DD');
                  return day >= `${year}-01-01` && day <= `${year + 1}-12-31`
                    ? Promise.resolve()
                    : Promise.reject(new Error(t(`须在 ${year}-01-01 至 ${year + 1}-12-31 之间`, `Must be from ${year}-01-01 to ${year + 1}-12-31`)));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
    </div>
  );
}

/** Whether redemptions are claims: confirmed by the enterprise, reviewed by the issuer, before anything is owed. */
function ClaimTermsFields() {
  const { t } = useI18n();
  return (
    <div data-testid="claim-terms-fields">
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item
            label={t('核销须企业确认', 'The enterprise confirms claims')}
            name={['claims', 'beneficiaryConfirmation']}
            valuePropName="checked"
            tooltip={t('企业确认实付金额并上传付款凭证', 'The enterprise confirms what it paid, with proof')}
          >
            <Switch />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('核销须发放机构审核', 'The issuer reviews claims')}
            name={['claims', 'review']}
            valuePropName="checked"
            tooltip={t('审核通过后方计应付', 'Owed only once approved')}
          >
            <Switch />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        noStyle
        shouldUpdate={(previous: CreateValues, next: CreateValues) => previous.claims?.beneficiaryConfirmation !== next.claims?.beneficiaryConfirmation}
      >
        {({ getFieldValue }) =>
          getFieldValue(['claims', 'beneficiaryConfirmation']) && (
            <Form.Item
              label={t('企业确认期限（日历日）', 'Days to confirm (calendar days)')}
              name={['claims', 'confirmationDays']}
              rules={[{ required: true, message: t('必填', 'Required') }]}
            >
              <InputNumber min={1} max={60} precision={0} style={{ width: 120 }} />
            </Form.Item>
          )
        }
      </Form.Item>
    </div>
  );
}

/** A program that takes applications: its window, the length of its public notice, where objections go. */
function ApplicationTerms() {
  const { t } = useI18n();
  const required = { required: true, message: t('必填', 'Required') };
  return (
    <div data-testid="application-terms">
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label={t('申报开始日期', 'Applications open on')} name={['applications', 'opensOn']} rules={[required]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            label={t('申报截止日期', 'Applications close on')}
            name={['applications', 'closesOn']}
            dependencies={[['applications', 'opensOn']]}
            rules={[
              required,
              ({ getFieldValue }) => ({
                validator: (_, value: dayjs.Dayjs | undefined) => {
                  const opens = getFieldValue(['applications', 'opensOn']) as dayjs.Dayjs | undefined;
                  return !value || !opens || !value.isBefore(opens, 'day')
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('截止日期不得早于开始日期', 'Must not be before the opening date')));
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label={t('公示工作日数', 'Public notice (working days)')} name={['applications', 'noticeWorkingDays']} rules={[required]}>
        <InputNumber min={1} max={30} precision={0} style={{ width: 120 }} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={14}>
          <Form.Item label={t('异议受理部门', 'Office taking objections')} name={['applications', 'contact', 'office']} rules={[required]}>
            <Input maxLength={200} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item label={t('联系电话', 'Telephone')} name={['applications', 'contact', 'telephone']} rules={[required]}>
            <Input inputMode="tel" placeholder="0571-87001234" />
          </Form.Item>
        </Col>
      </Row>
    </div>
  );
}

function AwaitingConfirmation() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const awaiting = useLoad(() => get<{ region: string; programs: Program[] }>('/v1/programs/awaiting-confirmation'), []);
  const submission = useSubmission();
  if (!awaiting.data?.programs.length) return null;
  const columns: Columns<Program> = [
    { title: t('项目', 'Program'), dataIndex: 'name', key: 'name' },
    { title: t('发起地区', 'Region'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    {
      title: t('本级待确认', 'Your share pending'),
      key: 'pending',
      align: 'right',
      render: (_, program) => <Money value={program.funding.find((funder) => funder.region === claims.region)?.pending} />,
    },
    {
      title: t('操作', 'Action'),
      key: 'confirm',
      render: (_, program) => (
        <Button
          loading={submission.submitting}
          onClick={async () => {
            const done = await submission.submit({ confirm: program.id }, (key) =>
              api('POST', `/v1/programs/${program.id}/funding/${claims.region}/confirm`, { idempotencyKey: key }),
            );
            if (done) awaiting.reload();
          }}
        >
          {t('确认本级出资', 'Confirm our share')}
        </Button>
      ),
    },
  ];
  return (
    <Card title={t('待本级确认出资的项目', 'Awaiting your region’s confirmation')} style={{ marginBottom: 16 }}>
      <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      <Table rowKey="id" columns={columns} dataSource={awaiting.data.programs} pagination={false} size="small" />
    </Card>
  );
}

export default function Programs() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const navigate = useNavigate();
  const list = usePaged<Program>('/v1/programs', {}, []);
  const columns: Columns<Program> = [
    {
      title: t('项目名称', 'Name'),
      dataIndex: 'name',
      key: 'name',
      render: (name: string, program) => <a onClick={() => navigate(`/programs/${program.id}`)}>{name}</a>,
    },
    { title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindName(kind, t) },
    {
      title: t('发放方式', 'Issuance'),
      dataIndex: 'issuance',
      key: 'issuance',
      render: (issuance: string) => (issuance === 'application' ? <Tag color="blue">{t('申报审核', 'By application')}</Tag> : t('直接发放', 'Direct')),
    },
    { title: t('地区', 'Region'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('预算', 'Budget'), dataIndex: 'budget', key: 'budget', align: 'right', render: (value: string) => <Money value={value} /> },
    { title: t('可用余额', 'Available'), dataIndex: 'available', key: 'available', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('状态', 'Status'),
      dataIndex: 'status',
      key: 'status',
      render: (_, program) => (
        <>
          <ProgramStatusTag program={program} />
          {program.period && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`${program.period.fiscalYear} 年度`, `FY${program.period.fiscalYear}`)}
            </Typography.Text>
          )}
        </>
      ),
    },
  ];
  return (
    <>
      <PageTitle>{t('补贴项目', 'Programs')}</PageTitle>
      {claims.role === 'issuer' && <AwaitingConfirmation />}
      <Row gutter={16}>
        <Col xs={24} lg={claims.role === 'issuer' ? 14 : 24}>
          <Card title={t('项目列表', 'All programs')}>
            <ProblemAlert problem={list.error} />
            <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="middle" />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        {claims.role === 'issuer' && (
          <Col xs={24} lg={10}>
            <CreateProgram onCreated={(program) => navigate(`/programs/${program.id}`)} />
          </Col>
        )}
      </Row>
    </>
  );
}
