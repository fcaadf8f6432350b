import { Card, Form, Select, Table, Tabs } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { get, type Page } from '../api';
import { ApplicationStatus } from '../applications';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert, useLoad } from '../components';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import type { Application, Program } from '../types';

/** The applications in any of `statuses` (the API filters by one status a request), page by page for each. */
function useApplications(statuses: readonly string[], programId: string | undefined) {
  const [items, setItems] = useState<Application[]>([]);
  const [cursors, setCursors] = useState<Record<string, string | null>>({});
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const key = statuses.join(',');
  const load = useCallback(
    async (after: Record<string, string | null> | null) => {
      setLoading(true);
      setError(null);
      try {
        const wanted = after ? statuses.filter((status) => after[status]) : statuses;
        const pages = await Promise.all(
          wanted.map((status) =>
            get<Page<Application>>('/v1/applications', { status, programId, limit: 50, cursor: after?.[status] ?? undefined }).then(
              (page) => [status, page] as const,
            ),
          ),
        );
        const fresh = pages.flatMap(([, page]) => page.items);
        setItems((previous) =>
          (after ? [...previous, ...fresh] : fresh).sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : 0)),
        );
        setCursors((previous) => ({ ...(after ? previous : {}), ...Object.fromEntries(pages.map(([status, page]) => [status, page.nextCursor])) }));
      } catch (err) {
        setError(err);
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key, programId],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  const more = Object.values(cursors).some(Boolean) ? () => void load(cursors) : undefined;
  return { items, error, loading, more };
}

function Queue({ statuses, programId }: { statuses: readonly string[]; programId: string | undefined }) {
  const { t } = useI18n();
  const list = useApplications(statuses, programId);
  const columns: Columns<Application> = [
    {
      title: t('企业', 'Enterprise'),
      key: 'enterprise',
      render: (_, application) => <Link to={`/reviews/${application.id}`}>{application.enterprise.name}</Link>,
    },
    { title: t('统一社会信用代码', 'USCC'), key: 'uscc', render: (_, application) => application.enterprise.uscc },
    { title: t('项目', 'Program'), dataIndex: 'programName', key: 'programName' },
    { title: t('券种', 'Kind'), dataIndex: 'kind', key: 'kind', render: (kind: string) => kindName(kind, t) },
    { title: t('申请金额', 'Asked for'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('核定金额', 'Approved'),
      dataIndex: 'approvedAmount',
      key: 'approvedAmount',
      align: 'right',
      render: (value: string | null) => <Money value={value} />,
    },
    {
      title: t('公示期', 'Notice'),
      key: 'notice',
      render: (_, application) => (application.notice ? `${application.notice.startsOn} – ${application.notice.endsOn}` : '—'),
    },
    { title: t('状态', 'Status'), dataIndex: 'status', key: 'status', render: (status: string) => <ApplicationStatus status={status} /> },
    { title: t('提交时间', 'Submitted'), dataIndex: 'submittedAt', key: 'submittedAt', render: (at: string) => formatDateTime(at) },
  ];
  return (
    <>
      <ProblemAlert problem={list.error} />
      <Table rowKey="id" columns={columns} dataSource={list.items} loading={list.loading} pagination={false} size="middle" scroll={{ x: true }} />
      <LoadMore more={list.more} loading={list.loading} />
    </>
  );
}

const TABS = [
  { key: 'first', statuses: ['submitted'], zh: '待初审', en: 'Awaiting first review' },
  { key: 'final', statuses: ['first_approved'], zh: '待复审', en: 'Awaiting final review' },
  { key: 'notice', statuses: ['approved', 'on_hold'], zh: '公示中', en: 'In public notice' },
  { key: 'granted', statuses: ['granted'], zh: '已发券', en: 'Granted' },
  { key: 'closed', statuses: ['returned', 'rejected'], zh: '已退回/未通过', en: 'Returned / rejected' },
] as const;

export default function Reviews() {
  const { t } = useI18n();
  const [search, setSearch] = useSearchParams();
  const tab = TABS.find((candidate) => candidate.key === search.get('tab')) ?? TABS[0];
  const programId = search.get('programId') ?? undefined;
  const programs = useLoad((signal) => get<Page<Program>>('/v1/programs', { limit: 200 }, signal), []);
  const choices = (programs.data?.items ?? []).filter((program) => program.issuance === 'application');
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [name, value] of Object.entries(changes))
      if (value) next.set(name, value);
      else next.delete(name);
    setSearch(next, { replace: true });
  };
  return (
    <>
      <PageTitle>{t('申报审核', 'Application review')}</PageTitle>
      <Card>
        <Form layout="inline" style={{ marginBottom: 12 }}>
          <Form.Item label={t('项目', 'Program')} htmlFor="reviews-program">
            <Select
              id="reviews-program"
              allowClear
              style={{ width: 320 }}
              placeholder={t('全部项目', 'All programs')}
              value={programId}
              onChange={(value?: string) => update({ programId: value })}
              options={choices.map((program) => ({ value: program.id, label: program.name }))}
            />
          </Form.Item>
        </Form>
        <Tabs
          activeKey={tab.key}
          onChange={(key) => update({ tab: key })}
          destroyOnHidden
          items={TABS.map((candidate) => ({
            key: candidate.key,
            label: t(candidate.zh, candidate.en),
            children: <Queue statuses={candidate.statuses} programId={programId} />,
          }))}
        />
      </Card>
    </>
  );
}
