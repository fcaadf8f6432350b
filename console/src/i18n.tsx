import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

export type Language = 'zh' | 'en';
const STORAGE_KEY = 'voucher-ledger.language';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** The text in the current language: t('创建项目', 'Create program'). */
  t(zh: string, en: string): string;
}

export type Translate = I18n['t'];

const I18nContext = createContext<I18n | null>(null);

let current: Language = (localStorage.getItem(STORAGE_KEY) as Language | null) ?? 'zh';
/** The language the API is asked to answer problems in (Accept-Language). */
export const currentLanguage = (): Language => current;

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(current);
  const setLanguage = useCallback((next: Language) => {
    current = next;
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setState(next);
  }, []);
  const value = useMemo<I18n>(() => ({ language, setLanguage, t: (zh, en) => (language === 'zh' ? zh : en) }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
