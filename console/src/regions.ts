// Names of the Zhejiang regions the console is most often used with; other codes are shown as they are.
const NAMES: Record<string, [string, string]> = {
  '330000': ['浙江省', 'Zhejiang'],
  '330100': ['杭州市', 'Hangzhou'],
  '330102': ['上城区', 'Shangcheng'],
  '330106': ['西湖区', 'Xihu'],
  '330200': ['宁波市', 'Ningbo'],
  '330300': ['温州市', 'Wenzhou'],
  '330400': ['嘉兴市', 'Jiaxing'],
  '330500': ['湖州市', 'Huzhou'],
  '330600': ['绍兴市', 'Shaoxing'],
  '330700': ['金华市', 'Jinhua'],
  '330800': ['衢州市', 'Quzhou'],
  '330900': ['舟山市', 'Zhoushan'],
  '331000': ['台州市', 'Taizhou'],
  '331100': ['丽水市', 'Lishui'],
};

export function regionName(code: string | undefined, language: 'zh' | 'en'): string {
  if (!code) return '—';
  const name = NAMES[code];
  return name ? `${name[language === 'zh' ? 0 : 1]} ${code}` : code;
}

/** The regions the console names, as choices: "杭州市 330100". */
export const regionOptions = (language: 'zh' | 'en') => Object.keys(NAMES).map((code) => ({ value: code, label: regionName(code, language) }));

/** Whether `outer` covers `inner` (a province its prefectures and counties, a prefecture its counties), as the API decides. */
export function covers(outer: string, inner: string): boolean {
  const to = outer.endsWith('0000') ? `${outer.slice(0, 2)}9999` : outer.endsWith('00') ? `${outer.slice(0, 4)}99` : outer;
  return inner >= outer && inner <= to;
}
