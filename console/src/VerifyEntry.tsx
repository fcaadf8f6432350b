// 验证: a ledger entry checked in this browser against the public log (decision 0045). The entry is read with the
// caller's token and its hash recomputed here; everything else is public and read without a token: the log key, the
// latest checkpoint (its Ed25519 signature checked with WebCrypto), the inclusion proof of the entry's leaf in its
// tree, and the consistency of an earlier signed tree (the receipt's, or one signed at the entry's seq) with it.
import { Alert, Button, Modal, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, ApiError, get } from './api';
import { recomputeEntryHash } from './canonical';
import { type Translate, useI18n } from './i18n';
import {
  fromHex,
  leafHash,
  type LogKey,
  type Note,
  parseLogKey,
  parseNote,
  toHex,
  verifyConsistency,
  verifyInclusion,
  verifyNoteSignature,
} from './transparency';
import type { RedemptionResult } from './types';

export type Receipt = NonNullable<RedemptionResult['receipt']>;

/** One line of the report: passed, failed, or not checked (and why). */
export interface Step {
  status: 'ok' | 'fail' | 'skipped';
  text: string;
}

interface PublicCheckpoint {
  note: string;
}
interface InclusionProof {
  leafIndex: number;
  path: string[];
}
interface ConsistencyProof {
  path: string[];
}

const pub = <T,>(path: string, query?: Record<string, string | number>, fresh = false) => api<T>('GET', path, { anonymous: true, query, fresh });

const why = (err: unknown) => (err instanceof ApiError ? `${err.status} ${err.detail}` : err instanceof Error ? err.message : String(err));

/** Runs every check of entry `seq` (with its receipt, when the page holds one), reporting each line as it is known. */
export async function verifyEntry(seq: number, receipt: Receipt | undefined, t: Translate, report: (step: Step) => void): Promise<void> {
  const ok = (text: string) => report({ status: 'ok', text: `✓ ${text}` });
  const fail = (text: string) => report({ status: 'fail', text: `✗ ${text}` });
  const check = (holds: boolean, yes: string, no: string) => (holds ? ok(yes) : fail(no));

  // 1. The entry, exactly as hashed, and its hash recomputed here.
  let entryHash: string;
  try {
    const entry = await get<Record<string, unknown>>(`/v1/ledger/entries/${seq}`);
    entryHash = String(entry['hash']);
    const recomputed = await recomputeEntryHash(entry);
    const receiptAgrees = !receipt || (receipt.seq === seq && receipt.hash === entryHash);
    check(
      recomputed === entryHash && receiptAgrees,
      t(`账本分录哈希一致（#${seq}，${entryHash.slice(0, 16)}…）`, `The ledger entry's hash recomputes (#${seq}, ${entryHash.slice(0, 16)}…)`),
      recomputed !== entryHash
        ? t(
            `账本分录哈希不一致：本地重算 ${recomputed.slice(0, 16)}…，账本记录 ${entryHash.slice(0, 16)}…`,
            `The entry's hash does not recompute: ${recomputed.slice(0, 16)}… here, ${entryHash.slice(0, 16)}… recorded`,
          )
        : t('账本分录哈希与回执不符', 'The entry’s hash is not the receipt’s'),
    );
  } catch (err) {
    fail(t(`无法读取账本分录 #${seq}：${why(err)}`, `Cannot read ledger entry #${seq}: ${why(err)}`));
    return;
  }

  // 2. The public log key and the latest public checkpoint, its signature checked with WebCrypto Ed25519.
  let key: LogKey;
  let current: Note;
  try {
    key = await parseLogKey((await pub<{ verifierKey: string }>('/v1/public/log-key')).verifierKey);
    current = parseNote((await pub<PublicCheckpoint>('/v1/public/checkpoint', undefined, true)).note);
  } catch (err) {
    fail(t(`无法读取公开日志公钥或检查点：${why(err)}`, `Cannot read the public log key or checkpoint: ${why(err)}`));
    return;
  }
  const keyName = `${key.name}+${key.keyId}`;
  const signed = await verifyNoteSignature(current, key);
  check(
    signed,
    t(
      `检查点签名有效（日志公钥 ${keyName}，树大小 ${current.treeSize}）`,
      `The checkpoint's signature is valid (log key ${keyName}, tree size ${current.treeSize})`,
    ),
    t(
      `检查点签名无效：不是日志公钥 ${keyName} 签署的（树大小 ${current.treeSize}）`,
      `The checkpoint's signature is not valid for log key ${keyName} (tree size ${current.treeSize})`,
    ),
  );

  // 3. The entry's leaf, and its inclusion in the latest tree, to the root the note signs.
  const leaf = await leafHash(entryHash);
  const index = seq - 1;
  try {
    const proof = await pub<InclusionProof>('/v1/public/proofs/inclusion', { leafHash: toHex(leaf), treeSize: current.treeSize });
    const included = proof.leafIndex === index && (await verifyInclusion(index, current.treeSize, leaf, proof.path.map(fromHex), current.root));
    check(
      included,
      t(
        `已包含在树大小为 ${current.treeSize} 的最新检查点中（叶序号 ${index}）`,
        `Included in the latest checkpoint, tree size ${current.treeSize} (leaf ${index})`,
      ),
      t(
        `包含证明不成立：叶序号 ${index} 不在树大小为 ${current.treeSize} 的检查点中`,
        `The inclusion proof fails: leaf ${index} is not in the checkpoint of tree size ${current.treeSize}`,
      ),
    );
  } catch (err) {
    fail(t(`无法取得包含证明：${why(err)}`, `Cannot get the inclusion proof: ${why(err)}`));
  }

  // 4. An earlier signed tree holding the entry: the receipt's, or the checkpoint signed at the entry's own seq.
  let earlier: Note;
  try {
    if (receipt) {
      earlier = parseNote(receipt.checkpoint);
      const receiptSigned = await verifyNoteSignature(earlier, key);
      const inReceipt =
        receiptSigned &&
        earlier.treeSize === receipt.treeSize &&
        receipt.leafIndex === index &&
        (await verifyInclusion(index, earlier.treeSize, leaf, receipt.inclusionPath.map(fromHex), earlier.root));
      check(
        inReceipt,
        t(
          `回执检查点签名有效，分录已包含在其树中（树大小 ${earlier.treeSize}，叶序号 ${index}）`,
          `The receipt's checkpoint is signed and holds the entry (tree size ${earlier.treeSize}, leaf ${index})`,
        ),
        receiptSigned
          ? t(`回执的包含证明不成立（树大小 ${earlier.treeSize}）`, `The receipt's inclusion proof fails (tree size ${earlier.treeSize})`)
          : t(`回执检查点签名无效（日志公钥 ${keyName}）`, `The receipt's checkpoint signature is not valid (log key ${keyName})`),
      );
    } else {
      try {
        earlier = parseNote((await pub<PublicCheckpoint>(`/v1/public/checkpoints/${seq}`)).note);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) {
          report({
            status: 'skipped',
            text: t(
              `– 未检查一致性：账本序号 #${seq} 处没有签发过检查点（其回执签在所在批次的头部）`,
              `– Consistency not checked: no checkpoint was signed at seq #${seq} (its receipt was signed at its batch's head)`,
            ),
          });
          return;
        }
        throw err;
      }
      check(
        await verifyNoteSignature(earlier, key),
        t(`分录所在检查点签名有效（树大小 ${earlier.treeSize}）`, `The checkpoint signed at the entry is valid (tree size ${earlier.treeSize})`),
        t(
          `分录所在检查点签名无效（树大小 ${earlier.treeSize}，日志公钥 ${keyName}）`,
          `The checkpoint signed at the entry is not valid (tree size ${earlier.treeSize}, log key ${keyName})`,
        ),
      );
    }
  } catch (err) {
    fail(t(`无法读取较早的检查点：${why(err)}`, `Cannot read the earlier checkpoint: ${why(err)}`));
    return;
  }

  // 5. That tree is a prefix of the latest one (RFC 9162 consistency); either may be the smaller.
  try {
    const [from, to] = earlier.treeSize <= current.treeSize ? [earlier, current] : [current, earlier];
    const path =
      from.treeSize === to.treeSize ? [] : (await pub<ConsistencyProof>('/v1/public/proofs/consistency', { from: from.treeSize, to: to.treeSize })).path;
    check(
      await verifyConsistency(from.treeSize, to.treeSize, from.root, to.root, path.map(fromHex)),
      t(
        `与最新检查点一致（树大小 ${earlier.treeSize} → ${current.treeSize}）`,
        `Consistent with the latest checkpoint (tree size ${earlier.treeSize} → ${current.treeSize})`,
      ),
      t(
        `与最新检查点不一致（树大小 ${earlier.treeSize} → ${current.treeSize}）`,
        `Not consistent with the latest checkpoint (tree size ${earlier.treeSize} → ${current.treeSize})`,
      ),
    );
  } catch (err) {
    fail(t(`无法取得一致性证明：${why(err)}`, `Cannot get the consistency proof: ${why(err)}`));
  }
}

/** The report of one run: the lines so far, then the overall result. */
export function Verification({ seq, receipt }: { seq: number; receipt?: Receipt | undefined }) {
  const { t } = useI18n();
  const [steps, setSteps] = useState<Step[]>([]);
  const [done, setDone] = useState(false);
  useEffect(() => {
    let live = true;
    setSteps([]);
    setDone(false);
    void verifyEntry(seq, receipt, t, (step) => live && setSteps((list) => [...list, step]))
      .catch((err: unknown) => live && setSteps((list) => [...list, { status: 'fail', text: `✗ ${why(err)}` }]))
      .finally(() => live && setDone(true));
    return () => {
      live = false;
    };
    // `t` changes with the language: a new run in the new one.
  }, [seq, receipt, t]);
  const failed = steps.some((step) => step.status === 'fail');
  return (
    <div data-testid="verification">
      <ul style={{ listStyle: 'none', paddingLeft: 0 }} aria-live="polite">
        {steps.map((step, i) => (
          <li key={i} data-testid="verify-step" data-status={step.status} style={{ marginBottom: 4 }}>
            <Typography.Text type={step.status === 'ok' ? 'success' : step.status === 'fail' ? 'danger' : 'secondary'} style={{ wordBreak: 'break-all' }}>
              {step.text}
            </Typography.Text>
          </li>
        ))}
      </ul>
      {!done ? (
        <Spin size="small" />
      ) : (
        <Alert
          data-testid="verify-result"
          data-status={failed ? 'fail' : 'ok'}
          type={failed ? 'error' : 'success'}
          showIcon
          title={failed ? t('验证未通过', 'Verification failed') : t('验证通过', 'Verified')}
          description={
            failed
              ? t('至少一项检查未通过：该分录或日志与公开检查点不符。', 'At least one check failed: the entry or the log does not match the public checkpoint.')
              : t(
                  '以上检查均在本浏览器中完成：分录哈希在此重算，检查点签名用公开的日志公钥以 WebCrypto Ed25519 核验，证明按 RFC 9162 验算。',
                  'Every check ran in this browser: the entry hash recomputed here, the checkpoint signature checked with the public log key (WebCrypto Ed25519), the proofs by RFC 9162.',
                )
          }
        />
      )}
    </div>
  );
}

/** 验证 with its report in a dialog. */
export function VerifyButton({ seq, receipt, label }: { seq: number; receipt?: Receipt | undefined; label?: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={label ?? t(`验证 #${seq}`, `Verify #${seq}`)}>
        {t('验证', 'Verify')}
      </Button>
      <Modal
        open={open}
        title={t(`验证账本分录 #${seq}`, `Verify ledger entry #${seq}`)}
        onCancel={() => setOpen(false)}
        footer={<Button onClick={() => setOpen(false)}>{t('关闭', 'Close')}</Button>}
        destroyOnHidden
        width={720}
      >
        {open && <Verification seq={seq} receipt={receipt} />}
      </Modal>
    </>
  );
}
