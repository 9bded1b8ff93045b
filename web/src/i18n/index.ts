// Translations: every UI string lives in sv.json / en.json. Keys are flat; `{name}` is replaced
// by the matching parameter. sv.json is the reference: en.json must have the same keys.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import svBase from './sv.json';
import enBase from './en.json';
import svIndicators from './indicators.sv.json';
import enIndicators from './indicators.en.json';
import svProfile from './profile.sv.json';
import enProfile from './profile.en.json';
import svMap from './map.sv.json';
import enMap from './map.en.json';
import svEdit from './edit.sv.json';
import enEdit from './edit.en.json';
import svFetch from './fetch.sv.json';
import enFetch from './fetch.en.json';
import svAdmin from './admin.sv.json';
import enAdmin from './admin.en.json';

// Each page family may keep its strings in its own pair of files, merged here.
const sv = {
  ...svBase,
  ...svIndicators,
  ...svProfile,
  ...svMap,
  ...svEdit,
  ...svFetch,
  ...svAdmin,
};
const en: typeof sv = {
  ...enBase,
  ...enIndicators,
  ...enProfile,
  ...enMap,
  ...enEdit,
  ...enFetch,
  ...enAdmin,
};

export type Messages = typeof sv;
export type MessageKey = keyof Messages;
export type Lang = 'sv' | 'en';

const catalogs: Record<Lang, Messages> = { sv, en };

export const defaultLang: Lang = 'sv';
export const langs: readonly Lang[] = ['sv', 'en'];

export function parseLang(value: string | null): Lang {
  return value === 'en' ? 'en' : defaultLang;
}

export type Params = Record<string, string | number>;

export interface Translator {
  lang: Lang;
  /** The message for `key`, with `{name}` placeholders filled from `params`. */
  t(key: MessageKey, params?: Params): string;
  /** `${key}.one` or `${key}.other` by `count` (both languages only need these two forms). */
  tn(key: string, count: number, params?: Params): string;
  /** A message whose key is built at run time (an API enum); `fallback` when unknown. */
  tk(key: string, fallback: string): string;
  formatDateTime(iso: string): string;
  formatNumber(n: number): string;
}

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (all, name: string) =>
    name in params ? String(params[name]) : all,
  );
}

export function makeTranslator(lang: Lang): Translator {
  const messages = catalogs[lang];
  const locale = lang === 'sv' ? 'sv-SE' : 'en-GB';
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale);
  const lookup = (key: string): string | undefined =>
    (messages as Record<string, string>)[key];
  return {
    lang,
    t: (key, params) => fill(messages[key], params),
    tn: (key, count, params) =>
      fill(lookup(`${key}.${count === 1 ? 'one' : 'other'}`) ?? key, {
        count: number.format(count),
        ...params,
      }),
    tk: (key, fallback) => lookup(key) ?? fallback,
    formatDateTime: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
    },
    formatNumber: (n) => number.format(n),
  };
}

export const I18nContext = createContext<Translator>(makeTranslator(defaultLang));

export function useI18n(): Translator {
  return useContext(I18nContext);
}
