// Problems in Chinese for callers who ask for it (Accept-Language: zh…): bureau staff read them in the console
// and in their own systems. English stays the default of the API. Each code has a title (what went wrong) and
// a sentence of what to do; the English detail, which names the amounts and ids involved, is kept beside it.

import { fieldMessageInChinese } from './field-messages.zh.js';

interface ChineseProblem {
  title: string;
  detail: string;
}

export const CHINESE_PROBLEMS: Record<string, ChineseProblem> = {
  validation_failed: { title: '请求参数无效', detail: '请求中的字段、查询参数、路径参数或请求头不符合要求，请按 field 所指字段更正后重试。' },
  malformed_json: { title: '请求体不是合法的 JSON', detail: '请求体无法解析为 JSON，请检查格式。' },
  malformed_body: { title: '请求体无法读取', detail: '请求体无法按其 Content-Encoding 解码，请检查压缩方式和 Content-Length。' },
  malformed_path: { title: '请求路径无效', detail: '路径不是合法的百分号编码 UTF-8，或包含控制字符。' },
  missing_token: { title: '缺少访问令牌', detail: '请在 Authorization 请求头中提供 Bearer 令牌。' },
  invalid_token: { title: '访问令牌无效', detail: '令牌签名、有效期、签发方、受众或声明不符合要求，请重新获取令牌。' },
  invalid_sign_in_code: { title: '登录链接无效', detail: '该登录链接已使用、已过期或不存在，请向运维人员索取新的登录链接。' },
  forbidden: { title: '无权操作', detail: '当前角色或辖区无权访问该资源或执行该操作。' },
  maker_checker: { title: '违反经办与复核分离', detail: '付款批次须由经办人以外的另一名同级财政人员复核批准。' },
  not_found: { title: '未找到', detail: '请求的路由或记录不存在。' },
  idempotency_conflict: { title: '幂等键冲突', detail: '该 Idempotency-Key 已用于另一个不同的请求，请使用新的键。' },
  duplicate_contract: { title: '合同编号重复', detail: '该服务商已登记过此合同编号。' },
  duplicate_invoice: { title: '发票号码重复', detail: '此发票号码已被兑付使用过：发票号码全国唯一。' },
  contract_already_subsidized: { title: '合同已使用其他券', detail: '该合同已在另一张券上获得补贴。' },
  provider_already_registered: { title: '服务商已登记', detail: '该服务商已在本地区登记，如需修改请使用 PUT 替换登记。' },
  conflict: { title: '并发写入冲突', detail: '另一个并发请求先完成了写入，请重新读取后重试。' },
  invariant_violated: { title: '违反账本约束', detail: '数据库拒绝了违反账本不变量的状态，本次请求未保存任何数据。' },
  payload_too_large: { title: '请求体过大', detail: '请求体超过 64 KB 上限。' },
  unsupported_media_type: { title: '不支持的媒体类型', detail: '请求体的编码或内容类型不受支持。' },
  document_too_large: { title: '文件过大', detail: '上传的文件超过 DOCUMENT_MAX_BYTES 上限（默认 20 MB），请压缩或拆分后重新上传。' },
  unsupported_document_type: {
    title: '不支持的文件类型',
    detail: '只接受 PDF、OFD、XML、JPEG 和 PNG 文件；类型按文件内容判断，与声明的 Content-Type 无关。',
  },
  exceeds_policy: { title: '超出政策上限', detail: '项目的补贴比例或年度上限高于政策规定。' },
  outside_jurisdiction: { title: '超出政策管辖范围', detail: '发放机构所在地区不在该政策的适用范围内。' },
  insufficient_budget: { title: '预算不足', detail: '项目可用预算不足以完成本次发券或预算调减。' },
  proof_range_invalid: { title: '证明范围无效', detail: '条目序号须在 1 至树大小之间，一致性证明的 from 须在 1 至 to 之间。' },
  beyond_tree_head: { title: '超出当前树大小', detail: '所请求的树大小大于账本当前的条目数，请先获取最新检查点。' },
  checkpoint_unknown: { title: '未知的检查点', detail: '该检查点不属于本账本，或本账本从未以此根哈希签署该树大小（见证方可能看到了分叉视图）。' },
  cosignature_invalid: { title: '联署签名无效', detail: '提交的签名行中没有一条能用 WITNESS_KEYS 中配置的见证方公钥验证通过。' },
  four_eyes: { title: '违反双人审核', detail: '复审须由初审通过人以外的另一名工作人员作出。' },
  issuance_by_application: { title: '本项目须经申报发券', detail: '该项目采用企业申报、两级审核和公示后发券的方式，不能直接发券，请在申报审核中发放。' },
  issuance_direct: { title: '本项目不受理申报', detail: '该项目由发放机构直接发券，不受理企业申报。' },
  duplicate_application: { title: '重复申报', detail: '该企业在本项目已有一份未被驳回的申报，请查看或补正原申报。' },
  invalid_transition: { title: '当前状态不允许此操作', detail: '申报当前所处的阶段不允许该操作，请刷新后按申报状态办理。' },
  stale_revision: { title: '申报已更新', detail: '审核所依据的申报版本已被企业重新提交，请刷新后审核最新版本。' },
  claim_overdue: { title: '核销申请已逾期', detail: '已超过该核销申请的确认或答复期限，申请将由每日清理自动失效并释放预留额度。' },
  claims_open_on_contract: { title: '合同尚有待处理的核销申请', detail: '该合同尚有待确认或待审核的核销申请，请待其处理完毕或撤回后再冲正。' },
  claim_not_approved: { title: '核销申请尚未核准', detail: '核销申请核准前不形成应付款，不能冲正；可由服务商撤回。' },
  notice_open: { title: '公示期未满', detail: '公示期结束后的次日起方可发券。' },
  objection_open: { title: '异议未处理', detail: '该申报有尚未处理的异议，请先处理异议。' },
  objection_resolved: { title: '异议已处理', detail: '该异议已作出处理结论，不能再次处理。' },
  application_window_closed: { title: '不在申报期内', detail: '今天（北京时间）不在本项目的申报开始与截止日期之间。' },
  declaration_required: { title: '缺少承诺事项', detail: '申报须承诺无关联交易合同、未获其他财政资金支持、无失信记录，三项均须勾选。' },
  unknown_document: { title: '材料未上传', detail: '所列材料不是本企业已上传的文件，请先通过 POST /v1/documents 上传。' },
  amount_above_requested: { title: '核定金额超过申请金额', detail: '复审核定金额不得高于企业申请金额。' },
  calendar_year_unknown: { title: '该年度工作日历未收录', detail: '该年度国务院办公厅节假日安排通知尚未收录，无法计算公示期，请待收录后重试。' },
  nothing_to_confirm: { title: '无待确认出资', detail: '该地区对本项目没有待确认的出资份额。' },
  related_party: { title: '关联交易', detail: '服务商与受益企业为同一企业或已被认定为关联方，不予补贴。' },
  program_closed: { title: '项目已关闭', detail: '该项目已年终关闭，不再发券、受理申报、兑付或追加预算；结算与追回照常进行。' },
  program_open: { title: '尚未到关闭日', detail: '项目在其关闭日（closesOn，北京时间）之前不能关闭。' },
  claims_pending: { title: '尚有待处理的核销申请', detail: '项目尚有待确认或待审核的核销申请，请处理完毕（或待其逾期失效）后再关闭项目。' },
  listed_entity: { title: '列入监管名单', detail: '该企业已被列入适用于本项目地区的失信或监管名单，不得申报、获券、兑付或获得补贴。' },
  already_listed: { title: '已在名单中', detail: '本地区已将该企业列入名单，且尚未移出。' },
  nothing_to_sample: { title: '无可抽查的兑付', detail: '该项目尚无已核准的兑付，无法抽查。' },
  result_recorded: { title: '抽查结果已登记', detail: '该笔兑付在本次抽查中的结果已登记，不能重复登记。' },
  webhook_url_refused: {
    title: '回调地址不被接受',
    detail: '生产环境中回调地址须为 https://，且不得指向本机或内网地址（除非已列入 WEBHOOK_ALLOW_PRIVATE），也不得包含用户名或密码。',
  },
  webhook_limit_reached: { title: '回调订阅已达上限', detail: '每个地区或机构最多保留 10 个有效的回调订阅，请先删除一个。' },
  webhook_disabled: { title: '回调订阅已删除', detail: '该订阅已删除，不再推送事件，其签名密钥不能轮换。' },
  delivery_not_redeliverable: { title: '该投递不能重发', detail: '只有已送达或已失败的投递可以重发；待投递、已取消或订阅已删除的不能重发。' },
  kind_mismatch: { title: '券种不符', detail: '券的类型与合同类型不一致。' },
  beneficiary_mismatch: { title: '受益企业不符', detail: '合同的受益企业与券的持有企业不一致。' },
  voucher_not_active: { title: '券已失效', detail: '该券已被撤销或已过期。' },
  voucher_expired: { title: '券已过期', detail: '执行日期晚于券的有效期。' },
  outside_policy_window: { title: '超出政策执行期', detail: '执行日期不在政策有效期内。' },
  future_execution: { title: '执行日期在未来', detail: '执行日期晚于今天（北京时间）。' },
  execution_before_signing: { title: '执行早于签约', detail: '执行日期早于合同签订日期。' },
  exceeds_contract_amount: { title: '超出合同金额', detail: '累计执行金额将超过合同金额。' },
  national_rules_apply: { title: '适用国家政策', detail: '该合同属于国家支持的重点项目，按国家规定执行，不在本券补贴范围内。' },
  provider_not_registered: { title: '服务商未登记', detail: '本项目要求登记在册的服务商，该服务商在项目地区没有有效登记。' },
  service_not_registered: { title: '服务未登记', detail: '合同未注明或注明了服务商登记中没有的同类服务编码。' },
  autonomy_mismatch: { title: '自主可控属性不符', detail: '合同的自主可控属性与所登记服务不一致。' },
  registration_already_suspended: { title: '登记已暂停', detail: '该登记已处于暂停状态。' },
  registration_not_suspended: { title: '登记未暂停', detail: '该登记处于有效状态，无需恢复。' },
  reversal_exceeds_redemption: { title: '冲销超出兑付', detail: '累计冲销金额将超过该笔兑付的执行金额。' },
  future_date: { title: '日期在未来', detail: '截止日期、付款日期或收款日期晚于今天（北京时间）。' },
  batch_not_draft: { title: '批次不是草稿', detail: '只有草稿状态的付款批次可以复核批准。' },
  empty_batch: { title: '批次无付款行', detail: '该付款批次没有可支付的付款行，请撤销该批次。' },
  batch_stale: { title: '批次已过时', detail: '批次编制后，其中的应付款或服务商登记、银行账户已发生变化，请撤销后重新编制。' },
  batch_not_approved: { title: '批次未批准', detail: '只有已批准（或部分支付）的付款批次可以登记支付、失败或对账，或导出付款指令。' },
  batch_not_cancellable: { title: '批次不可撤销', detail: '只有草稿，或已批准且尚无付款行支付的批次可以撤销。' },
  line_not_pending: { title: '付款行不是待付状态', detail: '该付款行已支付、已失败或已撤销。' },
  paid_before_approval: { title: '付款早于批准', detail: '付款日期早于批次批准日期。' },
  exceeds_receivable: { title: '超出应收金额', detail: '收回金额超过该服务商在本项目中应退还的金额。' },
  amount_out_of_range: { title: '金额超出范围', detail: '余额或累计金额将超出系统可表示的范围。' },
  too_many_auth_failures: { title: '认证失败次数过多', detail: '来自该地址的认证失败次数过多，请稍后再试。' },
  rate_limited: { title: '请求过于频繁', detail: '来自该地址对公开接口的请求过多，请按 Retry-After 指示的时间后再试。' },
  internal_error: { title: '服务器内部错误', detail: '发生了意外错误，已记录日志。' },
  not_ready: { title: '服务未就绪', detail: '数据库暂时无法响应。' },
  busy: { title: '系统繁忙', detail: '账本锁争用持续，请按 Retry-After 指示的时间后重试同一请求。' },
};

/** Whether the caller prefers Chinese: the first language of its Accept-Language (by q) is zh or zh-*. */
export function prefersChinese(acceptLanguage: string | undefined): boolean {
  if (!acceptLanguage) return false;
  const ranked = acceptLanguage
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((lang) => lang.tag !== '' && lang.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  const first = ranked[0]?.tag;
  return first === 'zh' || first?.startsWith('zh-') === true;
}

interface FieldMessage {
  field: string;
  message: string;
}

/**
 * The problem in Chinese: title and detail from the table (the field at fault named), the English detail kept
 * as `detailEn` for the amounts and ids it names. A code without a translation keeps its English. Each of
 * `errors[]` has its message in Chinese where `field-messages.zh.ts` has it, the English kept as `messageEn`;
 * a validation failure's detail is then its first field error, `<field>：<message>`, as in English.
 */
export function inChinese<P extends { code: string; title: string; detail: string; field?: string; errors?: FieldMessage[] }>(
  problem: P,
): P & { detailEn?: string; errors?: (FieldMessage & { messageEn?: string })[] } {
  const zh = CHINESE_PROBLEMS[problem.code];
  if (!zh) return problem;
  const errors = problem.errors?.map((error) => {
    const message = fieldMessageInChinese(error.message);
    return message === undefined ? error : { ...error, message, messageEn: error.message };
  });
  const first = errors?.[0];
  const detail =
    problem.code === 'validation_failed' && first !== undefined && 'messageEn' in first
      ? `${first.field}：${first.message}`
      : problem.field === undefined
        ? zh.detail
        : `${zh.detail}（字段：${problem.field}）`;
  return { ...problem, title: zh.title, detail, detailEn: problem.detail, ...(errors ? { errors } : {}) };
}
