import { Button, Card, Col, Descriptions, Form, Input, Row, Table, Typography } from 'antd';
import { useState } from 'react';
import { get } from '../api';
import { Money, PageTitle, ProblemAlert } from '../components';
import { formatDateTime, fromFen, toFen } from '../format';
import { useI18n } from '../i18n';
import { readAllEntries } from '../ledgerStream';
import type { Program } from '../types';

interface Checkpoint {
  jws: string;
  kid: string;
  checkpoint: { ledgerId: string; seq: number; hash: string; issuedAt: string };
}

function CheckpointCard() {
  const { t } = useI18n();
  const [checkpoint, setCheckpoint] = useState<Checkpoint | null>(null);
  const [error, setError] = useState<unknown>(null);
  return (
    <Card title={t('当前检查点', 'Current checkpoint')} style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">
        {t('检查点由服务器用 Ed25519 签名账本当前的头部；请将其与公钥（/.well-known/jwks.json）保存在运营方无法触及的地方。', 'The server signs the ledger’s head with Ed25519; keep it, with the public key (/.well-known/jwks.json), out of the operator’s reach.')}
      </Typography.Paragraph>
      <ProblemAlert problem={error} />
      <Button onClick={() => get<Checkpoint>('/v1/ledger/checkpoint').then(setCheckpoint, setError)}>{t('签发并读取检查点', 'Issue and read the checkpoint')}</Button>
      {checkpoint && (
        <Descriptions bordered size="small" column={1} style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('账本', 'Ledger')}>{checkpoint.checkpoint.ledgerId}</Descriptions.Item>
          <Descriptions.Item label={t('序号', 'Seq')}>{checkpoint.checkpoint.seq}</Descriptions.Item>
          <Descriptions.Item label="hash">
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {checkpoint.checkpoint.hash}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('签发时间', 'Issued')}>{formatDateTime(checkpoint.checkpoint.issuedAt)}</Descriptions.Item>
          <Descriptions.Item label="kid">{checkpoint.kid}</Descriptions.Item>
          <Descriptions.Item label="JWS">
            <Typography.Text code copyable={{ text: checkpoint.jws }}>
              {checkpoint.jws.slice(0, 48)}…
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      )}
    </Card>
  );
}

interface Summary {
  program: Program;
  entries: number;
  byType: { type: string; count: number }[];
  accounts: { account: string; net: string }[];
}

/** A program's entries read from the export: how many of each type, and each account's net posting. */
function ProgramSummary() {
  const { t } = useI18n();
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  async function load({ programId }: { programId: string }) {
    setLoading(true);
    setError(null);
    try {
      const [program, entries] = await Promise.all([get<Program>(`/v1/programs/${encodeURIComponent(programId.trim())}`), readAllEntries({ programId: programId.trim() })]);
      const counts = new Map<string, number>();
      const nets = new Map<string, bigint>();
      for (const entry of entries) {
        counts.set(entry.type, (counts.get(entry.type) ?? 0) + 1);
        for (const posting of entry.postings) nets.set(posting.account, (nets.get(posting.account) ?? 0n) + toFen(posting.amount));
      }
      setSummary({
        program,
        entries: entries.length,
        byType: [...counts].map(([type, count]) => ({ type, count })),
        accounts: [...nets].map(([account, net]) => ({ account, net: fromFen(net) })),
      });
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  return (
    <Card title={t('项目汇总', 'Program summary')}>
      <Form layout="inline" onFinish={load} style={{ marginBottom: 16 }}>
        <Form.Item label={t('项目编号', 'Program id')} name="programId" rules={[{ required: true }]}>
          <Input style={{ width: 320 }} />
        </Form.Item>
        <Button htmlType="submit" type="primary" loading={loading}>
          {t('汇总', 'Summarise')}
        </Button>
      </Form>
      <ProblemAlert problem={error} />
      {summary && (
        <Row gutter={16}>
          <Col span={24}>
            <Typography.Paragraph>
              {summary.program.name} · {t('条目', 'entries')} {summary.entries} · {t('预算', 'budget')} <Money value={summary.program.budget} />
            </Typography.Paragraph>
          </Col>
          <Col xs={24} md={10}>
            <Table rowKey="type" size="small" pagination={false} dataSource={summary.byType} columns={[{ title: t('类型', 'Type'), dataIndex: 'type' }, { title: t('条数', 'Count'), dataIndex: 'count', align: 'right' }]} />
          </Col>
          <Col xs={24} md={14}>
            <Table
              rowKey="account"
              size="small"
              pagination={false}
              dataSource={summary.accounts}
              columns={[
                { title: t('科目', 'Account'), dataIndex: 'account' },
                { title: t('净额', 'Net'), dataIndex: 'net', align: 'right', render: (value: string) => <Money value={value} /> },
              ]}
            />
          </Col>
        </Row>
      )}
    </Card>
  );
}

export default function Audit() {
  const { t } = useI18n();
  return (
    <>
      <PageTitle>{t('导出与检查点', 'Exports and checkpoint')}</PageTitle>
      <CheckpointCard />
      <ProgramSummary />
    </>
  );
}
