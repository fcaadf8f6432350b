// Related parties (关联方, decision 0042): groups of enterprises tied by shareholding, management, family or other
// links. A group applies everywhere: no contract, redemption or claim approval joins two of its members.
import { Button, Card, Col, Form, Input, Radio, Row, Space, Table, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { useSession } from '../auth';
import { type Columns, LoadMore, PageTitle, ProblemAlert, usePaged } from '../components';
import { formatDateTime } from '../format';
import { useSubmission } from '../forms';
import { useI18n } from '../i18n';
import { RELATION_OPTIONS, relationName } from '../oversight';
import { regionName } from '../regions';
import type { RelatedPartyGroup } from '../types';

const MIN = 2;
const MAX = 20;

interface GroupValues {
  usccs: string[];
  relation: string;
  reason: string;
}

function DeclareGroup({ onDeclared }: { onDeclared(): void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<GroupValues>();
  const submission = useSubmission(form);
  return (
    <Card title={t('认定关联方', 'Declare related parties')} data-testid="declare-group">
      <Typography.Paragraph type="secondary">
        {t(
          `同一组内任意两家企业之间不得登记合同、兑付或核准补贴，全国适用。每组 ${MIN}–${MAX} 家企业。`,
          `No two enterprises of one group may contract, redeem or have a claim approved between them, anywhere. ${MIN} to ${MAX} enterprises a group.`,
        )}
      </Typography.Paragraph>
      <Form
        form={form}
        name="declareGroup"
        layout="vertical"
        initialValues={{ usccs: ['', ''], relation: 'shareholding' }}
        onFinish={async (values) => {
          const body = { usccs: values.usccs.map((uscc) => uscc.trim()), relation: values.relation, reason: values.reason.trim() };
          const group = await submission.submit(body, (key) => api<RelatedPartyGroup>('POST', '/v1/related-parties', { body, idempotencyKey: key }));
          if (group) {
            form.resetFields();
            onDeclared();
          }
        }}
      >
        <Form.List name="usccs">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} align="baseline" style={{ display: 'flex' }}>
                  <Form.Item
                    label={t(`企业 ${index + 1} 统一社会信用代码`, `Enterprise ${index + 1} USCC`)}
                    name={field.name}
                    rules={[
                      { required: true, len: 18, message: t('18 位统一社会信用代码', '18-character USCC') },
                      ({ getFieldValue }) => ({
                        validator: (_, value: string | undefined) =>
                          !value || (getFieldValue('usccs') as string[]).filter((other) => other?.trim() === value.trim()).length <= 1
                            ? Promise.resolve()
                            : Promise.reject(new Error(t('重复的企业', 'Listed twice'))),
                      }),
                    ]}
                  >
                    <Input maxLength={18} style={{ width: 220 }} />
                  </Form.Item>
                  {fields.length > MIN && (
                    <Button onClick={() => remove(field.name)} aria-label={t(`删除企业 ${index + 1}`, `Remove enterprise ${index + 1}`)}>
                      {t('删除', 'Remove')}
                    </Button>
                  )}
                </Space>
              ))}
              {fields.length < MAX && (
                <Button type="dashed" onClick={() => add('')} style={{ marginBottom: 16 }}>
                  {t('添加企业', 'Add an enterprise')}
                </Button>
              )}
            </>
          )}
        </Form.List>
        <Form.Item label={t('关联关系', 'Relation')} name="relation" rules={[{ required: true }]}>
          <Radio.Group options={RELATION_OPTIONS(t)} />
        </Form.Item>
        <Form.Item
          label={t('认定依据', 'Grounds')}
          name="reason"
          rules={[{ required: true, whitespace: true, message: t('请填写认定依据', 'Give the grounds') }]}
        >
          <Input.TextArea rows={2} maxLength={500} placeholder={t('如 甲公司持有乙公司 60% 股权', 'e.g. A holds 60% of B')} />
        </Form.Item>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
        <Button type="primary" htmlType="submit" loading={submission.submitting}>
          {t('认定', 'Declare')}
        </Button>
      </Form>
    </Card>
  );
}

export default function RelatedParties() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const [search, setSearch] = useSearchParams();
  const uscc = search.get('uscc') ?? undefined;
  const list = usePaged<RelatedPartyGroup>('/v1/related-parties', { uscc }, []);
  const issuer = claims.role === 'issuer';
  const columns: Columns<RelatedPartyGroup> = [
    { title: t('关联关系', 'Relation'), dataIndex: 'relation', key: 'relation', render: (relation: string) => <Tag>{relationName(relation, t)}</Tag> },
    {
      title: t('企业', 'Enterprises'),
      dataIndex: 'usccs',
      key: 'usccs',
      render: (usccs: string[]) => (
        <span data-testid="group-usccs">
          {usccs.map((member) => (
            <Typography.Text key={member} code style={{ display: 'block', fontWeight: member === uscc ? 600 : undefined }}>
              {member}
            </Typography.Text>
          ))}
        </span>
      ),
    },
    { title: t('认定依据', 'Grounds'), dataIndex: 'reason', key: 'reason' },
    { title: t('认定地区', 'Declared by'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('认定时间', 'Declared at'), dataIndex: 'declaredAt', key: 'declaredAt', render: (value: string) => formatDateTime(value) },
  ];
  return (
    <>
      <PageTitle>{t('关联方', 'Related parties')}</PageTitle>
      <Row gutter={16}>
        <Col xs={24} lg={issuer ? 15 : 24}>
          <Card>
            <Form
              name="relatedPartiesFilter"
              layout="inline"
              style={{ marginBottom: 12 }}
              initialValues={{ uscc }}
              onFinish={(values: { uscc?: string }) => setSearch(values.uscc?.trim() ? { uscc: values.uscc.trim() } : {}, { replace: true })}
            >
              <Form.Item label={t('统一社会信用代码', 'USCC')} name="uscc" rules={[{ len: 18, message: t('18 位统一社会信用代码', '18-character USCC') }]}>
                <Input maxLength={18} allowClear style={{ width: 220 }} />
              </Form.Item>
              <Form.Item>
                <Button htmlType="submit">{t('查询', 'Search')}</Button>
              </Form.Item>
            </Form>
            <ProblemAlert problem={list.error} />
            <Table
              rowKey="id"
              columns={columns}
              dataSource={list.items}
              loading={list.loading}
              pagination={false}
              size="small"
              scroll={{ x: true }}
              data-testid="related-parties"
            />
            <LoadMore more={list.more} loading={list.loading} />
          </Card>
        </Col>
        {issuer && (
          <Col xs={24} lg={9}>
            <DeclareGroup onDeclared={list.reload} />
          </Col>
        )}
      </Row>
    </>
  );
}
