// The one way the console talks to the public /v1 API: bearer token, Accept-Language, JSON, problems.
import { currentLanguage } from './i18n';

export interface FieldError {
  field: string;
  message: string;
}

/** An application/problem+json answer (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly field: string | undefined,
    readonly errors: FieldError[],
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

let token: string | null = null;
let onRefused: (reason: string) => void = () => {};

export function setToken(next: string | null): void {
  token = next;
}
/** Called with the API's reason when it answers 401: the console signs out and shows it. */
export function onTokenRefused(handler: (reason: string) => void): void {
  onRefused = handler;
}

export const newIdempotencyKey = (): string => `console-${crypto.randomUUID()}`;

export interface RequestOptions {
  query?: Record<string, string | number | undefined | null>;
  body?: unknown;
  /** Sent as text with this content type instead of JSON (a bank statement: text/csv). */
  text?: { contentType: string; content: string };
  /** Sent as it is (a document's bytes), with its own content type. */
  file?: { contentType: string; content: Blob };
  /** A public read (the notices): no token is sent, and a 401 does not sign out. */
  anonymous?: boolean;
  /** Asks the server again rather than the browser's cache (a public checkpoint, cached for seconds, checked now). */
  fresh?: boolean;
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const search = params.toString();
  return `${path}${search ? `?${search}` : ''}`;
}

async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': currentLanguage() === 'zh' ? 'zh-CN' : 'en' };
  if (token && !options.anonymous) headers['Authorization'] = `Bearer ${token}`;
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let body: string | Blob | undefined;
  if (options.file) {
    headers['Content-Type'] = options.file.contentType;
    body = options.file.content;
  } else if (options.text) {
    headers['Content-Type'] = options.text.contentType;
    body = options.text.content;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal ?? null,
      ...(options.fresh ? { cache: 'no-cache' as const } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(
      0,
      'network_error',
      currentLanguage() === 'zh' ? '无法连接服务器，请稍后重试' : 'The server cannot be reached; try again',
      undefined,
      [],
    );
  }
  if (response.ok) return response;
  let problem: Record<string, unknown> = {};
  try {
    problem = (await response.json()) as Record<string, unknown>;
  } catch {
    // not a problem document (a proxy's error page): the status says enough
  }
  const detail = typeof problem['detail'] === 'string' ? problem['detail'] : `${response.status} ${response.statusText}`;
  const error = new ApiError(
    response.status,
    typeof problem['code'] === 'string' ? problem['code'] : 'http_error',
    detail,
    typeof problem['field'] === 'string' ? problem['field'] : undefined,
    Array.isArray(problem['errors']) ? (problem['errors'] as FieldError[]) : [],
    problem,
  );
  if (response.status === 401 && !options.anonymous) onRefused(detail);
  throw error;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  return (await response.json()) as T;
}

export const get = <T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) => api<T>('GET', path, { query, ...(signal ? { signal } : {}) });

/** A streamed response (the NDJSON export) for the caller to read. */
export const stream = (path: string, query: RequestOptions['query'], signal: AbortSignal) => send('GET', path, { query, signal }, '*/*');

/** Fetches a file with the token and hands it to the browser as a download. */
export async function download(path: string, query: RequestOptions['query'], filename: string): Promise<void> {
  const response = await send('GET', path, { query }, '*/*');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
