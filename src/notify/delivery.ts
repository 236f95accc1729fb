/** What one delivery attempt came to; `response` is what the receiver answered, verbatim-ish. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, SMTP reply code, or exit code. */
  status?: number;
  response: string;
  /** The receiver asked to wait (429/503 Retry-After). */
  retryAfterMs?: number;
  /** Retrying cannot help (bad request, bad credentials): give up at once. */
  permanent?: boolean;
}

/** HTTP answers: 2xx delivered; 408/429/5xx retried; other 4xx are permanent (fix the config). */
export function httpResult(status: number, body: string, retryAfterMs?: number): DeliveryResult {
  const response = `HTTP ${status}${body ? ` ${body.slice(0, 1000)}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true, status, response };
  const result: DeliveryResult = {
    ok: false,
    status,
    response,
    permanent: status >= 400 && status < 500 && status !== 408 && status !== 429,
  };
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result;
}
