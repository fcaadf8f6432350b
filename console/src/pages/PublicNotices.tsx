import { Card, Form, Select, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, type Page } from '../api';
import { NoticeState } from '../applications';
import { type Columns, kindName, LoadMore, Money, PageTitle, ProblemAlert } from '../components';
import { useI18n } from '../i18n';
import { regionName, regionOptions } from '../regions';
import type { PublicNotice } from '../types';

/** GET /v1/public/notices, page by page, without a token: what anyone may read. */
function useNotices(region: string | undefined, programId: string | undefined) {
  const [items, setItems] = useState<PublicNotice[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const load = useCallback(
    async (after: string | null) => {
      setLoading(true);
      setError(null);
      try {
        const page = await api<Page<PublicNotice>>('GET', '/v1/public/notices', {
          query: { region, programId, limit: 50, cursor: after ?? undefined },
          anonymous: true,
        });
        setItems((previous) => (after ? [...previous, ...page.items] : page.items));
        setCursor(page.nextCursor);
      } catch (err) {
        setError(err);
      } finally {
        setLoading(false);
      }
    },
    [region, programId],
  );
  useEffect(() => {
    void load(null);
  }, [load]);
  return { items, error, loading, more: cursor ? () => void load(cursor) : undefined };
}

/** 补贴公示: the applications approved and in (or past) their public notice, with where to object. */
export default function PublicNotices() {
  const { t, language } = useI18n();
  const [search, setSearch] = useSearchParams();
  const region = search.get('region') ?? undefined;
  const programId = search.get('programId') ?? undefined;
  const notices = useNotices(region, programId);
  // The programs seen so far are the program filter's choices (the notices name them; no list of programs is public).
  const [programs, setPrograms] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (notices.items.every((notice) => programs.has(notice.programId))) return;
    setPrograms((previous) => new Map([...previous, ...notices.items.map((notice) => [notice.programId, notice.programName] as const)]));
  }, [notices.items, programs]);
  const update = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(search);
    if (value) next.set(name, value);
    else next.delete(name);
    setSearch(next, { replace: true });
  };
  const columns: Columns<PublicNotice> = [
    { title: t('企业名称', 'Enterprise'), dataIndex: 'enterpriseName', key: 'enterpriseName' },
    { title: t('统一社会信用代码', 'USCC'), dataIndex: 'uscc', key: 'uscc' },
    {
      title: t('补贴项目', 'Program'),
      key: 'program',
      render: (_, notice) => (
        <>
          {notice.programName}
          <div>
            <Typography.Text type="secondary">
              {kindName(notice.kind, t)} · {regionName(notice.region, language)}
            </Typography.Text>
          </div>
        </>
      ),
    },
    { title: t('拟补贴金额', 'Amount'), dataIndex: 'amount', key: 'amount', align: 'right', render: (value: string) => <Money value={value} /> },
    {
      title: t('公示期', 'Notice period'),
      key: 'period',
      render: (_, notice) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {notice.startsOn} – {notice.endsOn}
        </span>
      ),
    },
    { title: t('状态', 'State'), dataIndex: 'state', key: 'state', render: (state: string) => <NoticeState state={state} /> },
    { title: t('异议受理', 'Objections to'), dataIndex: 'contact', key: 'contact' },
  ];
  return (
    <>
      <PageTitle>{t('补贴公示', 'Public notices')}</PageTitle>
      <Typography.Paragraph type="secondary">
        {t(
          '以下企业的补贴申报已通过审核，现予公示。对公示内容有异议的，请在公示期内向所列部门书面反映。',
          'These enterprises’ applications have passed review and are published for objections. Object in writing to the office listed, within the notice period.',
        )}
      </Typography.Paragraph>
      <Card>
        <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
          <Form.Item label={t('地区', 'Region')} htmlFor="notices-region">
            <Select
              id="notices-region"
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              placeholder={t('全部地区', 'All regions')}
              value={region}
              onChange={(value?: string) => update('region', value)}
              options={regionOptions(language)}
            />
          </Form.Item>
          <Form.Item label={t('补贴项目', 'Program')} htmlFor="notices-program">
            <Select
              id="notices-program"
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ width: 320 }}
              placeholder={t('全部项目', 'All programs')}
              value={programId}
              onChange={(value?: string) => update('programId', value)}
              options={[...programs].map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Form>
        <ProblemAlert problem={notices.error} />
        <Table
          rowKey="applicationId"
          columns={columns}
          dataSource={notices.items}
          loading={notices.loading}
          pagination={false}
          size="middle"
          scroll={{ x: true }}
          data-testid="notices"
        />
        <LoadMore more={notices.more} loading={notices.loading} />
      </Card>
    </>
  );
}
