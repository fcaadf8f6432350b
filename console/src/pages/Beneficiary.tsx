import { Button, Card, Form, Input, InputNumber, Progress, Table, Typography } from 'antd';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { get } from '../api';
import { bucketName, Money, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatYuan, fromFen, percentOf, todayInShanghai, toFen } from '../format';
import { useI18n } from '../i18n';
import { regionName } from '../regions';
import type { Usage } from '../types';

type Bucket = Usage['buckets'][string];

/** A bucket's use of its annual cap: granted, and reserved by open claims (decision 0041), both of which count. */
export function BucketBar({ code, bucket }: { code: string; bucket: Bucket }) {
  const { t } = useI18n();
  const name = bucketName(code, t);
  const reserved = toFen(bucket.reserved) !== 0n;
  const used = fromFen(toFen(bucket.granted) + toFen(bucket.reserved));
  return (
    <div style={{ marginBottom: 16 }} data-testid={`bucket-${code}`}>
      <Typography.Text strong>{name}</Typography.Text>{' '}
      <Typography.Text type="secondary">
        {t('已享受', 'granted')} {formatYuan(bucket.granted)}
        {reserved ? ` · ${t('审核中预留', 'reserved for claims')} ${formatYuan(bucket.reserved)}` : ''} /{' '}
        {bucket.annualCap ? `${t('年度上限', 'annual cap')} ${formatYuan(bucket.annualCap)}` : t('无年度上限', 'no annual cap')}
        {bucket.remaining ? ` · ${t('剩余', 'remaining')} ${formatYuan(bucket.remaining)}` : ''}
      </Typography.Text>
      {bucket.annualCap ? (
        <Progress
          percent={percentOf(used, bucket.annualCap)}
          // Granted in the solid colour; what open claims reserve is the rest of the bar.
          success={reserved ? { percent: percentOf(bucket.granted, bucket.annualCap) } : undefined}
          aria-label={`${name} ${t('额度使用', 'cap used')}`}
          status={bucket.remaining === '0.00' ? 'exception' : 'active'}
        />
      ) : null}
    </div>
  );
}

export default function Beneficiary() {
  const { uscc } = useParams();
  const [search] = useSearchParams();
  const year = search.get('year') ?? todayInShanghai().slice(0, 4);
  const { t, language } = useI18n();
  const navigate = useNavigate();
  const usage = useLoad(
    (signal) => (uscc ? get<Usage>(`/v1/beneficiaries/${encodeURIComponent(uscc)}/usage`, { year }, signal) : Promise.resolve(undefined)),
    [uscc, year],
  );
  return (
    <>
      <PageTitle>{t('企业补贴额度', 'Beneficiary usage')}</PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Form
          layout="inline"
          initialValues={{ uscc, year: Number(year) }}
          onFinish={(values: { uscc: string; year: number }) => navigate(`/beneficiaries/${values.uscc.trim()}?year=${values.year}`)}
        >
          <Form.Item label={t('统一社会信用代码', 'USCC')} name="uscc" rules={[{ required: true, len: 18 }]}>
            <Input style={{ width: 240 }} maxLength={18} />
          </Form.Item>
          <Form.Item label={t('年度', 'Year')} name="year">
            <InputNumber min={2025} max={2100} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            {t('查询', 'Look up')}
          </Button>
        </Form>
      </Card>
      <ProblemAlert problem={usage.error} />
      {usage.data && (
        <>
          <Card
            title={t(`${usage.data.year} 年全省累计（政策 ${usage.data.policyId}）`, `${usage.data.year}, province-wide (policy ${usage.data.policyId})`)}
            style={{ marginBottom: 16 }}
          >
            {Object.entries(usage.data.buckets).map(([name, bucket]) => (
              <BucketBar key={name} code={name} bucket={bucket} />
            ))}
          </Card>
          <Card title={t('本辖区各项目', 'Programs within your region')}>
            <Table
              rowKey={(row) => `${row.programId}-${row.bucket}`}
              size="small"
              pagination={false}
              dataSource={usage.data.programs.flatMap((program) =>
                Object.entries(program.buckets).map(([bucket, b]) => ({ programId: program.programId, region: program.region, bucket, ...b })),
              )}
              columns={[
                {
                  title: t('项目', 'Program'),
                  dataIndex: 'programId',
                  render: (id: string) => <a onClick={() => navigate(`/programs/${id}`)}>{id.slice(0, 8)}…</a>,
                },
                { title: t('地区', 'Region'), dataIndex: 'region', render: (region: string) => regionName(region, language) },
                { title: t('类别', 'Bucket'), dataIndex: 'bucket', render: (bucket: string) => bucketName(bucket, t) },
                { title: t('已享受', 'Granted'), dataIndex: 'granted', align: 'right', render: (value: string) => <Money value={value} /> },
                { title: t('审核中预留', 'Reserved'), dataIndex: 'reserved', align: 'right', render: (value: string) => <Money value={value} /> },
                { title: t('项目年度上限', 'Program cap'), dataIndex: 'annualCap', align: 'right', render: (value: string | null) => <Money value={value} /> },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
