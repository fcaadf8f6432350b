// 报表: the annual report of a region (decision 0043), read from GET /v1/reports/annual, for issuers and auditors.
// Every figure is the API's string, formatted for display; nothing is summed here but the position's identity,
// which is checked in integer fen. The XLSX and each table's CSV are downloaded with the token, through the same
// throughSeq as the report on the screen.
import { Button, Card, Col, Descriptions, Empty, Form, Input, Row, Select, Space, Spin, Statistic, Table, type TableProps, Tag, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  BUCKET_FIGURES,
  FIGURES,
  type FigureLabel,
  formatShare,
  formatTimes,
  FUNDER_FIGURES,
  MONTH_FIGURES,
  POSITION_ITEMS,
  reportFileName,
  reportYears,
} from '../annual-report';
import { ApiError, download, type FieldError, get } from '../api';
import { useSession } from '../auth';
import { bucketName, type Columns, kindName, Money, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatDateTime, formatYuan, todayInShanghai, toFen } from '../format';
import { type Translate, useI18n } from '../i18n';
import type { ReportChartOption } from '../ReportChart';
import { regionName } from '../regions';
import type { AnnualReport as Report, BucketRow, FunderRow, KindRow, MonthRow, RegionRow, ReportFigures, ReportTable } from '../types';

const ReportChart = lazy(() => import('../ReportChart'));

const REGION_CODE = /^\d{6}$/;

type Language = 'zh' | 'en';

/** A figure as text: money formatted from its string, a count as it is, a ratio as a percentage or a multiple. */
function display(type: FigureLabel<string>['type'], value: unknown, t: Translate): ReactNode {
  if (type === 'money') return <Money value={value as string} />;
  if (type === 'percent') return formatShare(value as string | null);
  if (type === 'times') return formatTimes(value as string | null, t);
  return value === null || value === undefined ? '—' : String(value);
}

function figureColumns<T>(figures: FigureLabel<keyof T & string>[], t: Translate): Columns<T> {
  return figures.map((figure) => ({
    title: t(figure.zh, figure.en),
    dataIndex: figure.key,
    key: figure.key,
    align: 'right' as const,
    onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }),
    render: (value: unknown) => <span style={{ whiteSpace: 'nowrap' }}>{display(figure.type, value, t)}</span>,
  }));
}

/** The report's own region's row is its programs alone; every other row rolls up a region directly below it. */
function rowRegionName(region: string, report: Report, language: Language, t: Translate): string {
  return region === report.region ? `${regionName(region, language)}${t('（本级）', ' (own programs)')}` : regionName(region, language);
}

/** The totals under a table whose rows sum to them: the money adds up, the distinct counts and ratios are the whole's own. */
function totalsSummary(report: Report, t: Translate) {
  return () => (
    <Table.Summary fixed>
      <Table.Summary.Row>
        <Table.Summary.Cell index={0}>
          <Typography.Text strong>{t('合计', 'Total')}</Typography.Text>
        </Table.Summary.Cell>
        {FIGURES.map((figure, index) => (
          <Table.Summary.Cell key={figure.key} index={index + 1} align="right">
            <span style={{ whiteSpace: 'nowrap', fontWeight: 600 }}>{display(figure.type, report.totals[figure.key], t)}</span>
          </Table.Summary.Cell>
        ))}
      </Table.Summary.Row>
    </Table.Summary>
  );
}

/** One table of the report in its card: the columns that name a row, then its figures, each cell on one line. */
function ReportTableCard<T extends object>(props: {
  title: string;
  extra: ReactNode;
  testId: string;
  rowKey: TableProps<T>['rowKey'];
  rows: T[];
  leading: Columns<T>;
  figures: FigureLabel<keyof T & string>[];
  summary?: TableProps<T>['summary'];
}) {
  const { t } = useI18n();
  return (
    <Card title={props.title} extra={props.extra} style={{ marginBottom: 16 }}>
      <Table<T>
        data-testid={props.testId}
        rowKey={props.rowKey}
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={props.rows}
        {...(props.summary ? { summary: props.summary } : {})}
        columns={[...props.leading, ...figureColumns<T>(props.figures, t)]}
      />
    </Card>
  );
}

// ECharts plots numbers: each yuan string becomes a Number here for the picture only (a double holds any amount
// of the report to the cent, and a chart needs no more); every figure shown as text, tooltips included, is the
// API's string formatted.
const plotted = (amount: string): number => Number(amount);
const axisYuan = (value: number) => `¥${value.toLocaleString('zh-CN', { maximumFractionDigits: 0 })}`;

function monthsOption(months: MonthRow[], t: Translate): ReportChartOption {
  const series = [
    { key: 'subsidyGranted', name: t('核定补贴', 'Subsidy granted'), type: 'bar', color: '#1d4ed8' },
    { key: 'clawedBack', name: t('追回补贴', 'Clawed back'), type: 'bar', color: '#dc2626' },
    { key: 'paid', name: t('拨付', 'Paid'), type: 'line', color: '#16a34a' },
  ] as const;
  return {
    animation: false,
    grid: { left: 90, right: 24, top: 40, bottom: 30 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: months.map((row) => row.month) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisYuan } },
    series: series.map((s) =>
      s.type === 'bar'
        ? {
            type: 'bar' as const,
            name: s.name,
            itemStyle: { color: s.color },
            data: months.map((row) => plotted(row[s.key])),
            tooltip: { valueFormatter: (_: unknown, index: number) => formatYuan(months[index]?.[s.key]) },
          }
        : {
            type: 'line' as const,
            name: s.name,
            itemStyle: { color: s.color },
            data: months.map((row) => plotted(row[s.key])),
            tooltip: { valueFormatter: (_: unknown, index: number) => formatYuan(months[index]?.[s.key]) },
          },
    ),
  };
}

function regionsOption(report: Report, language: Language, t: Translate): ReportChartOption {
  const rows = report.regions;
  const series = [
    { key: 'subsidyNet', name: t('净补贴', 'Net subsidy'), color: '#1d4ed8' },
    { key: 'paidNet', name: t('净拨付', 'Paid (net)'), color: '#16a34a' },
  ] as const;
  return {
    animation: false,
    grid: { left: 90, right: 24, top: 40, bottom: 30, containLabel: false },
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: rows.map((row) => rowRegionName(row.region, report, language, t)), axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisYuan } },
    series: series.map((s) => ({
      type: 'bar' as const,
      name: s.name,
      barMaxWidth: 48,
      itemStyle: { color: s.color },
      data: rows.map((row) => plotted(row[s.key])),
      tooltip: { valueFormatter: (_: unknown, index: number) => formatYuan(rows[index]?.[s.key]) },
    })),
  };
}

const KIND_COLORS: Record<string, string> = { compute: '#1d4ed8', corpus: '#d97706', model: '#16a34a' };

/** A pie of the net subsidy by kind; bars when a kind's net is negative (more clawed back than granted), which a pie cannot show. */
function kindsOption(kinds: KindRow[], t: Translate): ReportChartOption {
  const name = t('净补贴', 'Net subsidy');
  const formatter = (_: unknown, index: number) => formatYuan(kinds[index]?.subsidyNet);
  if (kinds.every((row) => toFen(row.subsidyNet) >= 0n))
    return {
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: 'item', valueFormatter: formatter },
      series: [
        {
          type: 'pie',
          name,
          radius: ['35%', '65%'],
          top: 30,
          label: { formatter: '{b}\n{d}%' },
          data: kinds.map((row) => ({ name: kindName(row.kind, t), value: plotted(row.subsidyNet), itemStyle: { color: KIND_COLORS[row.kind] } })),
        },
      ],
    };
  return {
    animation: false,
    grid: { left: 90, right: 24, top: 40, bottom: 30 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: kinds.map((row) => kindName(row.kind, t)) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: axisYuan } },
    series: [{ type: 'bar', name, itemStyle: { color: '#1d4ed8' }, data: kinds.map((row) => plotted(row.subsidyNet)), tooltip: { valueFormatter: formatter } }],
  };
}

function ChartCard({
  title,
  label,
  option,
  empty,
  emptyText,
  testId,
}: {
  title: string;
  label: string;
  option: ReportChartOption;
  empty: boolean;
  emptyText?: string;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <Card title={title} size="small" style={{ height: '100%' }}>
      {empty ? (
        <Empty description={emptyText ?? t('本年度没有数据', 'Nothing in this year')} />
      ) : (
        <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
          <ReportChart option={option} label={label} testId={testId} />
        </Suspense>
      )}
    </Card>
  );
}

/** The messages of a problem that name the form's fields (year, region). */
function fieldProblems(error: unknown): FieldError[] {
  if (!(error instanceof ApiError)) return [];
  const entries = error.errors.length ? error.errors : error.field ? [{ field: error.field, message: error.detail }] : [];
  return entries.filter((entry) => entry.field === 'year' || entry.field === 'region');
}

/** Whether the fields' messages say all of the problem (no other field, no English detail naming more). */
function fieldOnly(error: unknown, named: FieldError[]): boolean {
  if (!(error instanceof ApiError) || !named.length) return false;
  const namesMore = typeof error.body['detailEn'] === 'string' && error.body['detailEn'] !== error.detail && !error.errors.length;
  return !namesMore && named.length === Math.max(1, error.errors.length);
}

interface Controls {
  year: number;
  region: string;
}

export default function AnnualReport() {
  const { t, language } = useI18n();
  const { claims } = useSession();
  const [params, setParams] = useSearchParams();
  const currentYear = Number(todayInShanghai().slice(0, 4));
  // The report asked for is in the address (?year=&region=), so that it can be reloaded and shared; by default the
  // current year of the signed-in user's own region. A year the address spells wrong (?year=abc) is the current one.
  const asked = params.get('year');
  const year = asked !== null && /^\d{4}$/.test(asked) ? Number(asked) : currentYear;
  const region = params.get('region') ?? claims.region ?? '';
  const [form] = Form.useForm<Controls>();
  useEffect(() => form.setFieldsValue({ year, region }), [form, year, region]);

  const report = useLoad((signal) => get<Report>('/v1/reports/annual', { year, region }, signal), [year, region]);
  // A refusal naming the year or the region (a region outside the caller's, a year not begun) shows under that
  // field, as the forms do (forms.ts); the alert too when the field's message is not the whole story.
  const named = fieldProblems(report.error);
  useEffect(() => {
    form.setFields(
      (['year', 'region'] as const).map((name) => ({ name, errors: named.filter((entry) => entry.field === name).map((entry) => entry.message) })),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, report.error]);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [downloadProblem, setDownloadProblem] = useState<unknown>(null);

  function query(values: Controls) {
    const next = { year: String(values.year), region: values.region.trim() };
    if (next.year === String(year) && next.region === region) report.reload();
    else setParams(next);
  }

  async function save(r: Report, table?: ReportTable) {
    setDownloading(table ?? 'xlsx');
    setDownloadProblem(null);
    try {
      // The report on the screen, through its own seq: a later entry does not make the file differ from it.
      const query = { year: r.year, region: r.region, throughSeq: r.throughSeq, format: table ? 'csv' : 'xlsx', table };
      await download('/v1/reports/annual', query, reportFileName(r.region, r.year, table));
    } catch (err) {
      setDownloadProblem(err);
    } finally {
      setDownloading(null);
    }
  }

  const r = report.data;
  const charts = useMemo(
    () => (r ? { months: monthsOption(r.months, t), regions: regionsOption(r, language, t), kinds: kindsOption(r.kinds, t) } : null),
    [r, language, t],
  );

  const csvButton = (table: ReportTable, name: string) =>
    r && (
      <Button size="small" aria-label={t(`下载 CSV（${name}）`, `Download CSV (${name})`)} loading={downloading === table} onClick={() => void save(r, table)}>
        {t('下载 CSV', 'Download CSV')}
      </Button>
    );

  return (
    <>
      <PageTitle
        extra={
          r && (
            <Button type="primary" loading={downloading === 'xlsx'} onClick={() => void save(r)}>
              {t('下载 Excel', 'Download Excel')}
            </Button>
          )
        }
      >
        {t('年度报表', 'Annual report')}
      </PageTitle>
      <Card style={{ marginBottom: 16 }}>
        <Form form={form} name="annualReport" layout="inline" initialValues={{ year, region }} onFinish={query} style={{ rowGap: 12 }}>
          <Form.Item label={t('年度', 'Year')} name="year" rules={[{ required: true }]}>
            <Select style={{ width: 120 }} options={reportYears(currentYear).map((value) => ({ value, label: String(value) }))} />
          </Form.Item>
          <Form.Item
            label={t('地区', 'Region')}
            name="region"
            rules={[
              { required: true, message: t('请输入地区代码', 'Enter a region code') },
              { pattern: REGION_CODE, message: t('6 位行政区划代码', 'A 6-digit region code') },
            ]}
          >
            <Input style={{ width: 120 }} maxLength={6} inputMode="numeric" placeholder="330100" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={report.loading}>
            {t('查询', 'Query')}
          </Button>
        </Form>
      </Card>
      {!fieldOnly(report.error, named) && <ProblemAlert problem={report.error} />}
      <ProblemAlert problem={downloadProblem} onClose={() => setDownloadProblem(null)} />
      {!r && report.loading && <Spin style={{ display: 'block', margin: 48 }} />}
      {r && charts && (
        <Spin spinning={report.loading}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <Descriptions size="small" column={{ xs: 1, md: 3, xl: 5 }} data-testid="report-header">
              <Descriptions.Item label={t('地区', 'Region')}>{regionName(r.region, language)}</Descriptions.Item>
              <Descriptions.Item label={t('年度', 'Year')}>{r.year}</Descriptions.Item>
              <Descriptions.Item label={t('截至账本序号', 'Through ledger seq')}>
                <span data-testid="report-through-seq">{r.throughSeq}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('状态', 'Status')}>
                <Tag color={r.complete ? 'green' : 'blue'} data-testid="report-complete">
                  {r.complete ? t('年度已结束', 'Year ended') : t('年度进行中', 'Year in progress')}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label={t('生成时间', 'Generated')}>{formatDateTime(r.generatedAt)}</Descriptions.Item>
            </Descriptions>
            <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
              {t(
                '各项数字由账本条目汇总：按记账时间（北京时间）归入年度，资金分布为截至该序号的累计。企业数、服务商数为去重计数，各行相加不等于合计。',
                'Every figure is summed from the ledger’s entries, counted in the year by when they were recorded (Beijing time); the position is cumulative through the seq. Enterprises and providers are distinct counts: the rows do not add up to the total.',
              )}
            </Typography.Paragraph>
          </Card>

          <Totals figures={r.totals} />

          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col span={24}>
              <ChartCard
                title={t('按月', 'By month')}
                label={t('按月：核定补贴、追回补贴与拨付', 'By month: subsidy granted, clawed back and paid')}
                option={charts.months}
                empty={false}
                testId="chart-months"
              />
            </Col>
            <Col xs={24} lg={14}>
              <ChartCard
                title={t('按地区', 'By region')}
                label={t('按地区：净补贴与已拨付', 'By region: net subsidy and paid')}
                option={charts.regions}
                empty={r.regions.length === 0}
                testId="chart-regions"
              />
            </Col>
            <Col xs={24} lg={10}>
              <ChartCard
                title={t('按券种', 'By kind')}
                label={t('按券种：净补贴', 'By kind: net subsidy')}
                option={charts.kinds}
                // A pie of nothing but zeros would show equal slices: no subsidy in the year, no chart.
                empty={r.kinds.every((row) => toFen(row.subsidyNet) === 0n)}
                emptyText={t('本年度尚无净补贴', 'No net subsidy in this year')}
                testId="chart-kinds"
              />
            </Col>
          </Row>

          <ReportTableCard<RegionRow>
            title={t('按地区', 'By region')}
            extra={csvButton('regions', t('按地区', 'by region'))}
            testId="report-regions"
            rowKey="region"
            rows={r.regions}
            summary={r.regions.length ? totalsSummary(r, t) : undefined}
            leading={[
              {
                title: t('地区', 'Region'),
                dataIndex: 'region',
                key: 'region',
                fixed: 'left',
                render: (code: string) => <span style={{ whiteSpace: 'nowrap' }}>{rowRegionName(code, r, language, t)}</span>,
              },
            ]}
            figures={FIGURES}
          />
          <ReportTableCard<KindRow>
            title={t('按券种', 'By kind')}
            extra={csvButton('kinds', t('按券种', 'by kind'))}
            testId="report-kinds"
            rowKey="kind"
            rows={r.kinds}
            summary={r.kinds.length ? totalsSummary(r, t) : undefined}
            leading={[{ title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', fixed: 'left', render: (kind: string) => kindName(kind, t) }]}
            figures={FIGURES}
          />
          <ReportTableCard<BucketRow>
            title={t('按补贴档', 'By cap bucket')}
            extra={csvButton('buckets', t('按补贴档', 'by cap bucket'))}
            testId="report-buckets"
            rowKey="bucket"
            rows={r.buckets}
            leading={[
              {
                title: t('补贴档', 'Bucket'),
                dataIndex: 'bucket',
                key: 'bucket',
                render: (bucket: string) => (
                  <span style={{ whiteSpace: 'nowrap' }}>
                    {bucketName(bucket, t)} <Typography.Text type="secondary">{bucket}</Typography.Text>
                  </span>
                ),
              },
              { title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindName(kind, t) },
            ]}
            figures={BUCKET_FIGURES}
          />
          <ReportTableCard<FunderRow>
            title={t('资金方', 'Funders')}
            extra={csvButton('funders', t('资金方', 'funders'))}
            testId="report-funders"
            rowKey={(row) => `${row.region}:${row.funder}`}
            rows={r.funders}
            leading={[
              {
                title: t('项目地区', 'Program region'),
                dataIndex: 'region',
                key: 'region',
                render: (code: string) => <span style={{ whiteSpace: 'nowrap' }}>{rowRegionName(code, r, language, t)}</span>,
              },
              { title: t('出资地区', 'Funder'), dataIndex: 'funder', key: 'funder', render: (code: string) => regionName(code, language) },
            ]}
            figures={FUNDER_FIGURES}
          />
          <ReportTableCard<MonthRow>
            title={t('按月明细', 'Month by month')}
            extra={csvButton('months', t('按月', 'by month'))}
            testId="report-months"
            rowKey="month"
            rows={r.months}
            leading={[{ title: t('月份', 'Month'), dataIndex: 'month', key: 'month' }]}
            figures={MONTH_FIGURES}
          />

          <Position report={r} />
        </Spin>
      )}
    </>
  );
}

/** The year's totals as statistic cards. */
function Totals({ figures }: { figures: ReportFigures }) {
  const { t } = useI18n();
  const money = (value: string) => formatYuan(value);
  const cards: { key: string; title: string; value: string; suffix?: string }[] = [
    { key: 'funded', title: t('净到位资金', 'Funded (net)'), value: money(figures.funded) },
    { key: 'vouchersIssued', title: t('发放券数', 'Vouchers issued'), value: String(figures.vouchersIssued), suffix: t('张', '') },
    { key: 'vouchersIssuedAmount', title: t('发放金额', 'Issued amount'), value: money(figures.vouchersIssuedAmount) },
    { key: 'subsidyGranted', title: t('核定补贴', 'Subsidy granted'), value: money(figures.subsidyGranted) },
    { key: 'clawedBack', title: t('追回补贴', 'Clawed back'), value: money(figures.clawedBack) },
    { key: 'subsidyNet', title: t('净补贴', 'Net subsidy'), value: money(figures.subsidyNet) },
    { key: 'paidNet', title: t('净拨付', 'Paid (net)'), value: money(figures.paidNet) },
    { key: 'enterprises', title: t('企业数', 'Enterprises'), value: String(figures.enterprises), suffix: t('家', '') },
    { key: 'providers', title: t('服务商数', 'Providers'), value: String(figures.providers), suffix: t('家', '') },
    { key: 'executed', title: t('执行金额', 'Executed'), value: money(figures.executed) },
    { key: 'autonomousShare', title: t('自主可控算力补贴占比', 'Autonomous compute share'), value: formatShare(figures.autonomousShare) },
    { key: 'leverage', title: t('撬动倍数', 'Leverage'), value: formatTimes(figures.leverage, t) },
  ];
  return (
    <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="report-totals">
      {cards.map((card) => (
        <Col xs={12} md={8} xl={4} key={card.key}>
          <Card size="small" style={{ height: '100%' }}>
            <Statistic title={card.title} value={card.value} suffix={card.suffix || undefined} data-testid={`total-${card.key}`} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Where the money is through throughSeq, and the identity it satisfies, checked here in fen. */
function Position({ report }: { report: Report }) {
  const { t } = useI18n();
  const p = report.position;
  const balanced = toFen(p.funded) === toFen(p.available) + toFen(p.onVouchers) + toFen(p.reserved) + toFen(p.owedToProviders) + toFen(p.paid);
  return (
    <Card title={t(`资金分布（截至账本序号 ${report.throughSeq}，累计）`, `Position (through seq ${report.throughSeq}, to date)`)}>
      <Table
        data-testid="report-position"
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={POSITION_ITEMS.map((item) => ({ key: item.key, label: t(item.zh, item.en), value: p[item.key] }))}
        columns={[
          { title: t('项目', 'Item'), dataIndex: 'label', key: 'label' },
          {
            title: t('金额', 'Amount'),
            dataIndex: 'value',
            key: 'value',
            align: 'right',
            render: (value: string, row) => <Money value={value} strong={row.key === 'funded'} />,
          },
        ]}
      />
      <Space style={{ marginTop: 8 }}>
        <Typography.Text type={balanced ? 'success' : 'danger'} data-testid="report-position-check">
          {balanced
            ? t(
                '核对相符：资金到位 = 可用 + 补贴券余额 + 核销审核中预留 + 应付服务商 + 已支付服务商',
                'Balanced: funded = available + on vouchers + reserved for claims + owed to providers + paid',
              )
            : t(
                '核对不符：资金到位 ≠ 可用 + 补贴券余额 + 核销审核中预留 + 应付服务商 + 已支付服务商',
                'Not balanced: funded ≠ available + on vouchers + reserved for claims + owed to providers + paid',
              )}
        </Typography.Text>
      </Space>
    </Card>
  );
}
