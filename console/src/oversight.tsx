// What decision 0042 adds to a program's page: its period and status, the year-end close (a preview anyone who may
// read it sees, the close itself for an issuer of the program's region) and its spot checks.
import { Alert, Button, Card, Descriptions, Form, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, get } from './api';
import { type Columns, FormDialog, LoadMore, Money, ProblemAlert, useLoad, usePaged } from './components';
import { formatRate, formatYuan } from './format';
import { useSubmission } from './forms';
import { type Translate, useI18n } from './i18n';
import { covers, regionName } from './regions';
import type { CloseShare, Program, ProgramClose, ProgramClosing, SpotCheck } from './types';

/** Open (执行中) or closed (已关闭) at the end of its period. */
export function ProgramStatusTag({ program, testId }: { program: Pick<Program, 'status'>; testId?: string }) {
  const { t } = useI18n();
  return program.status === 'closed' ? (
    <Tag data-testid={testId}>{t('已关闭', 'closed')}</Tag>
  ) : (
    <Tag color="green" data-testid={testId}>
      {t('执行中', 'open')}
    </Tag>
  );
}

/** Who may read a program's closing preview and its spot checks, as the API decides (decision 0042). */
export function oversightAccess(program: Program, claims: { role: string; region?: string | undefined }) {
  const region = claims.region ?? '';
  const ownIssuer = claims.role === 'issuer' && region === program.region;
  const coveringAuditor = claims.role === 'auditor' && covers(region, program.region);
  const coFunder = claims.role === 'issuer' && !ownIssuer && program.funding.some((funder) => funder.region === region);
  return { closing: ownIssuer || coFunder || coveringAuditor, close: ownIssuer, spotChecks: ownIssuer || coveringAuditor };
}

/** Why a close now would be refused, in words; the API's own detail for a reason the console does not know. */
function refusalText(closing: ProgramClosing, program: Program, t: Translate): string {
  switch (closing.refusal?.code) {
    case 'program_open':
      return t(
        `未到关闭日：${closing.closableFrom ?? '—'} 起方可关闭（今日 ${closing.today}）。`,
        `Not yet: it may be closed from ${closing.closableFrom ?? '—'} (today is ${closing.today}).`,
      );
    case 'claims_pending':
      return t(
        `尚有 ${closing.openClaims} 笔核销待处理（待企业确认、待审核、有异议或已退回），处理完毕或逾期失效后方可关闭。`,
        `${closing.openClaims} claim(s) still await a decision (confirmation, review, disputed or returned): close once they are decided or lapse.`,
      );
    case 'program_closed':
      return t(`项目已关闭（${program.closedOn ?? '—'}）。`, `The program was closed on ${program.closedOn ?? '—'}.`);
    default:
      return closing.refusal?.detail ?? '';
  }
}

/** What the close returns (or returned): the vouchers, what was available, and each funder's share. */
function CloseFigures({ plan }: { plan: Pick<ProgramClosing, 'vouchers' | 'availableBefore' | 'returned' | 'funders'> }) {
  const { t, language } = useI18n();
  const columns: Columns<CloseShare> = [
    { title: t('出资地区', 'Funder'), dataIndex: 'region', key: 'region', render: (region: string) => regionName(region, language) },
    { title: t('比例', 'Ratio'), dataIndex: 'ratio', key: 'ratio', render: (ratio: string) => formatRate(ratio) },
    {
      title: t('已确认出资', 'Confirmed'),
      dataIndex: 'confirmed',
      key: 'confirmed',
      align: 'right',
      render: (value: string) => <Money value={value} />,
    },
    {
      title: t('取消的待确认出资', 'Pending, cancelled'),
      dataIndex: 'pendingCancelled',
      key: 'pendingCancelled',
      align: 'right',
      render: (value: string) => <Money value={value} />,
    },
    {
      title: t('退回金额', 'Returned'),
      dataIndex: 'returned',
      key: 'returned',
      align: 'right',
      render: (value: string) => <Money value={value} strong />,
    },
  ];
  return (
    <>
      {/* Descriptions, not statistics: the page's own balances above are the statistics. */}
      <Descriptions size="small" column={{ xs: 1, md: 4 }} style={{ marginBottom: 12 }} data-testid="close-figures">
        <Descriptions.Item label={t('有效补贴券', 'Active vouchers')}>{t(`${plan.vouchers.count} 张`, `${plan.vouchers.count}`)}</Descriptions.Item>
        <Descriptions.Item label={t('其上余额', 'Their balances')}>{formatYuan(plan.vouchers.balance)}</Descriptions.Item>
        <Descriptions.Item label={t('项目账户余额', 'Program account')}>{formatYuan(plan.availableBefore)}</Descriptions.Item>
        <Descriptions.Item label={t('合计退回', 'Returned in all')}>
          <Typography.Text strong>{formatYuan(plan.returned)}</Typography.Text>
        </Descriptions.Item>
      </Descriptions>
      <Table rowKey="region" columns={columns} dataSource={plan.funders} pagination={false} size="small" data-testid="close-shares" />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
        {t(
          '合计退回 = 项目账户余额 + 有效补贴券余额，按各级已确认出资的比重以最大余数法分配；尚未确认的出资不再缴付，也不参与分配。',
          'Returned = available + the vouchers’ balances, split by what each funder confirmed, by the largest remainder; shares still pending are cancelled and get nothing back.',
        )}
      </Typography.Paragraph>
    </>
  );
}

/**
 * 年终关闭: whether the program may close today and what each funder would get back; an issuer of the program's
 * region closes it (irreversible: every active voucher expires and the money goes back), the others read.
 */
export function ClosingCard({ program, canClose, onClosed }: { program: Program; canClose: boolean; onClosed(program: Program): void }) {
  const { t } = useI18n();
  const closing = useLoad(
    (signal) => get<ProgramClosing>(`/v1/programs/${encodeURIComponent(program.id)}/closing`, undefined, signal),
    [program.id, program.status, program.available],
  );
  const [result, setResult] = useState<ProgramClose | null>(null);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const submission = useSubmission(form);
  const preview = closing.data;
  return (
    <Card title={t('年终关闭', 'Year-end close')} style={{ marginBottom: 16 }} data-testid="closing">
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('财政年度', 'Fiscal year')}>{program.period?.fiscalYear ?? t('未设', 'none')}</Descriptions.Item>
        <Descriptions.Item label={t('关闭日', 'Closes on')}>{program.period?.closesOn ?? t('未设期间，可随时关闭', 'open-ended: any day')}</Descriptions.Item>
        <Descriptions.Item label={t('待处理核销', 'Claims awaiting a decision')}>{preview ? preview.openClaims : '—'}</Descriptions.Item>
      </Descriptions>
      <ProblemAlert problem={closing.error} />
      {result ? (
        <>
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="close-result"
            title={t(`项目已于 ${result.closedOn} 关闭（账本序号 #${result.ledgerSeq}）`, `Closed on ${result.closedOn} (ledger seq #${result.ledgerSeq})`)}
            description={t(
              `${result.vouchers.count} 张补贴券已失效，余额退回项目；合计 ${formatYuan(result.returned)} 已按下表退回各级财政。`,
              `${result.vouchers.count} voucher(s) expired, their balances back to the program; ${formatYuan(result.returned)} in all went back to the funders as below.`,
            )}
          />
          <CloseFigures plan={result} />
        </>
      ) : preview ? (
        <>
          {preview.refusal ? (
            <Alert
              type={preview.refusal.code === 'program_closed' ? 'info' : 'warning'}
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="close-refusal"
              title={preview.refusal.code === 'program_closed' ? t('已关闭', 'Closed') : t('暂不能关闭', 'Cannot close yet')}
              description={refusalText(preview, program, t)}
            />
          ) : (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              data-testid="close-allowed"
              title={t('可以关闭', 'May be closed')}
              description={t(
                `关闭后全部有效补贴券失效，项目资金按下表退回各级财政（按今日 ${preview.today} 测算）。`,
                `Closing expires every active voucher and returns the program's money to its funders as below (as of today, ${preview.today}).`,
              )}
            />
          )}
          {/* A closed program's preview is its close as the ledger recorded it (decision 0042). */}
          {preview.refusal?.code === 'program_closed' && (
            <Typography.Paragraph type="secondary">{t('账本记录的关闭：', 'The close as the ledger recorded it:')}</Typography.Paragraph>
          )}
          <CloseFigures plan={preview} />
          {canClose && !preview.refusal && (
            <Button danger type="primary" style={{ marginTop: 12 }} onClick={() => setOpen(true)}>
              {t('关闭项目', 'Close the program')}
            </Button>
          )}
        </>
      ) : null}
      <FormDialog
        open={open}
        title={t(`关闭项目：${program.name}`, `Close the program: ${program.name}`)}
        okText={t('确认关闭', 'Close it')}
        cancelText={t('返回', 'Back')}
        danger
        submitting={submission.submitting}
        onClose={() => setOpen(false)}
        form={form}
        onFinish={async () => {
          const closed = await submission.submit({ close: program.id }, (key) =>
            api<ProgramClose>('POST', `/v1/programs/${encodeURIComponent(program.id)}/close`, { idempotencyKey: key }),
          );
          if (closed) {
            setOpen(false);
            setResult(closed);
            onClosed(closed.program);
          }
        }}
      >
        {preview && (
          <Typography.Paragraph>
            {t(
              `关闭后 ${preview.vouchers.count} 张有效补贴券全部失效，合计 ${formatYuan(preview.returned)} 按已确认出资退回各级财政，待确认的出资一并取消。项目不再发券、受理申报或核销，结算与追回照常进行。此操作不可撤销。`,
              `${preview.vouchers.count} active voucher(s) expire and ${formatYuan(preview.returned)} goes back to the funders by what each confirmed; pending shares are cancelled. The program takes no more vouchers, applications or redemptions; settlement and recoveries go on. This cannot be undone.`,
            )}
          </Typography.Paragraph>
        )}
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </FormDialog>
    </Card>
  );
}

/** A rate the API takes for a sample: a decimal in (0, 1] with at most four decimals. */
const RATE_PATTERN = /^(0\.\d{1,4}|1(\.0{1,4})?)$/;

/** The program's spot checks and, for whoever may check it, a draw: the rate and a seed anyone can re-draw with. */
export function SpotChecksCard({ program }: { program: Program }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const list = usePaged<SpotCheck>('/v1/spot-checks', { programId: program.id }, [program.id]);
  const [form] = Form.useForm<{ rate: string; seed: string }>();
  const submission = useSubmission(form);
  const columns: Columns<SpotCheck> = [
    {
      title: t('抽取日', 'Drawn on'),
      dataIndex: 'drawnOn',
      key: 'drawnOn',
      render: (drawnOn: string, check) => <Link to={`/spot-checks/${check.id}`}>{drawnOn}</Link>,
    },
    { title: t('比例', 'Rate'), dataIndex: 'rate', key: 'rate', render: (rate: string) => formatRate(rate) },
    { title: t('随机种子', 'Seed'), dataIndex: 'seed', key: 'seed', render: (seed: string) => <Typography.Text code>{seed}</Typography.Text> },
    {
      title: t('抽取 / 总体', 'Drawn / population'),
      key: 'size',
      render: (_, check) => `${check.size} / ${check.population}`,
    },
    {
      title: t('已检查（通过 / 不通过）', 'Checked (passed / failed)'),
      key: 'summary',
      render: (_, check) => `${check.summary.checked}（${check.summary.passed} / ${check.summary.failed}）`,
    },
    { title: t('抽取人', 'By'), key: 'by', render: (_, check) => check.drawnBy.sub },
    {
      title: t('操作', 'Action'),
      key: 'open',
      render: (_, check) => <Link to={`/spot-checks/${check.id}`}>{t('查看与登记', 'Open')}</Link>,
    },
  ];
  return (
    <Card title={t('抽查', 'Spot checks')} style={{ marginBottom: 16 }} data-testid="spot-checks">
      <ProblemAlert problem={list.error} />
      <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="small" />
      <LoadMore more={list.more} loading={list.loading} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('抽取样本', 'Draw a sample')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t(
          '从本项目当前已核准的兑付中按比例抽取：按 SHA-256(种子 + 兑付编号) 排序取前若干笔。公开种子后任何人均可复核抽取结果。',
          'Draws from the program’s approved redemptions now: ordered by SHA-256(seed + redemption id), the first ones taken. Publish the seed and anyone can re-draw it.',
        )}
      </Typography.Paragraph>
      <Form
        form={form}
        name="drawSpotCheck"
        layout="inline"
        onFinish={async (values) => {
          const body = { rate: values.rate.trim(), seed: values.seed };
          const check = await submission.submit(body, (key) =>
            api<SpotCheck>('POST', `/v1/programs/${encodeURIComponent(program.id)}/spot-checks`, { body, idempotencyKey: key }),
          );
          if (check) navigate(`/spot-checks/${check.id}`);
        }}
      >
        <Form.Item
          label={t('抽查比例', 'Rate')}
          name="rate"
          rules={[
            { required: true, message: t('请输入比例', 'Enter a rate') },
            {
              validator: (_, value: string | undefined) =>
                !value || (RATE_PATTERN.test(value.trim()) && !/^0\.0+$/.test(value.trim()))
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('大于 0、不超过 1，最多 4 位小数，如 0.10', 'Above 0, at most 1, up to 4 decimals, e.g. 0.10'))),
            },
          ]}
        >
          <Input inputMode="decimal" placeholder="0.10" style={{ width: 100 }} />
        </Form.Item>
        <Form.Item label={t('随机种子', 'Seed')} name="seed" rules={[{ required: true, message: t('请输入随机种子', 'Enter a seed') }, { max: 128 }]}>
          <Input maxLength={128} placeholder={t('如 2026年第四季度抽查', 'e.g. 2026-Q4 check')} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={submission.submitting}>
            {t('抽取', 'Draw')}
          </Button>
        </Form.Item>
      </Form>
      <div style={{ marginTop: 12 }}>
        <ProblemAlert problem={submission.problem} onClose={submission.clear} />
      </div>
    </Card>
  );
}

/** A spot check result: 通过 or 不通过, or not yet recorded. */
export function OutcomeTag({ outcome }: { outcome: 'passed' | 'failed' | null }) {
  const { t } = useI18n();
  if (outcome === 'passed') return <Tag color="green">{t('通过', 'passed')}</Tag>;
  if (outcome === 'failed') return <Tag color="red">{t('不通过', 'failed')}</Tag>;
  return <Tag>{t('待检查', 'to check')}</Tag>;
}

/** A related-party group's relation in words. */
export function relationName(relation: string, t: Translate): string {
  return RELATION_OPTIONS(t).find((option) => option.value === relation)?.label ?? relation;
}

export const RELATION_OPTIONS = (t: Translate) => [
  { value: 'shareholding', label: t('股权', 'Shareholding') },
  { value: 'management', label: t('管理', 'Management') },
  { value: 'family', label: t('亲属', 'Family') },
  { value: 'other', label: t('其他', 'Other') },
];
