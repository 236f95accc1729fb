/**
 * A PromQL subset, the part Grafana's Prometheus data source needs for dashboards of Steward's
 * metrics: vector selectors with label matchers, range selectors inside rate()/increase()/
 * *_over_time(), and aggregations sum/avg/max/min/count with "by"/"without". Anything else is a
 * clear parse error naming what is supported.
 */
export type Matcher = { label: string; op: '=' | '!=' | '=~' | '!~'; value: string };

export type Expr =
  | { type: 'selector'; name: string | null; matchers: Matcher[]; rangeMs?: number }
  | { type: 'call'; fn: RangeFunction; arg: Expr & { type: 'selector' } }
  | { type: 'aggregate'; op: AggregateOp; by: string[] | null; without: string[] | null; arg: Expr }
  | { type: 'number'; value: number };

export const RANGE_FUNCTIONS = [
  'rate',
  'irate',
  'increase',
  'avg_over_time',
  'max_over_time',
  'min_over_time',
  'sum_over_time',
  'count_over_time',
] as const;
export type RangeFunction = (typeof RANGE_FUNCTIONS)[number];
export const AGGREGATES = ['sum', 'avg', 'max', 'min', 'count'] as const;
export type AggregateOp = (typeof AGGREGATES)[number];

const SUPPORTED = `supported: selectors (name{label="v",label=~"re"}), ${RANGE_FUNCTIONS.join('/')}(selector[5m]), ${AGGREGATES.join('/')} [by|without (labels)] (expr), numbers`;

export function parseDurationMs(text: string): number | null {
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let pos = 0;
  const unit: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5, y: 31536e6 };
  for (;;) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) break;
    total += Number(m[1]) * unit[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? total : null;
}

class Parser {
  readonly src: string;
  pos = 0;
  constructor(src: string) {
    this.src = src;
  }
  fail(what: string): never {
    throw new Error(`PromQL: ${what} at position ${this.pos} in "${this.src}"; ${SUPPORTED}`);
  }
  ws(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }
  peek(re: RegExp): string | null {
    this.ws();
    const m = re.exec(this.src.slice(this.pos));
    return m && m.index === 0 ? m[0] : null;
  }
  take(re: RegExp, what: string): string {
    const t = this.peek(re);
    if (t === null) this.fail(`expected ${what}`);
    this.pos += t.length;
    return t;
  }
  ident(): string {
    return this.take(/^[a-zA-Z_:][a-zA-Z0-9_:.]*/, 'a name');
  }
  labelList(): string[] {
    this.take(/^\(/, '"("');
    const out: string[] = [];
    while (!this.peek(/^\)/)) {
      out.push(this.ident());
      if (!this.peek(/^,/)) break;
      this.take(/^,/, '","');
    }
    this.take(/^\)/, '")"');
    return out;
  }
  string(): string {
    const q = this.take(/^["'`]/, 'a quoted string');
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== q) {
      if (this.src[this.pos] === '\\' && q !== '`') {
        this.pos++;
        const c = this.src[this.pos++];
        out += c === 'n' ? '\n' : c === 't' ? '\t' : (c ?? '');
      } else out += this.src[this.pos++];
    }
    if (this.src[this.pos] !== q) this.fail('unterminated string');
    this.pos++;
    return out;
  }
  selector(name: string | null): Expr & { type: 'selector' } {
    const matchers: Matcher[] = [];
    if (this.peek(/^\{/)) {
      this.take(/^\{/, '"{"');
      while (!this.peek(/^\}/)) {
        const label = this.ident();
        const op = this.take(/^(=~|!~|!=|=)/, 'a matcher (=, !=, =~, !~)') as Matcher['op'];
        matchers.push({ label, op, value: this.string() });
        if (!this.peek(/^,/)) break;
        this.take(/^,/, '","');
      }
      this.take(/^\}/, '"}"');
    }
    if (name === null && matchers.length === 0)
      this.fail('a selector needs a metric name or a label matcher');
    const sel: Expr & { type: 'selector' } = { type: 'selector', name, matchers };
    if (this.peek(/^\[/)) {
      this.take(/^\[/, '"["');
      const d = parseDurationMs(this.take(/^[0-9a-z]+/, 'a duration'));
      if (d === null || d <= 0) this.fail('a range like [5m]');
      sel.rangeMs = d;
      this.take(/^\]/, '"]"');
    }
    return sel;
  }
  expr(): Expr {
    const num = this.peek(/^[0-9]+(\.[0-9]+)?(e[+-]?[0-9]+)?/i);
    if (num) {
      this.pos += num.length;
      return { type: 'number', value: Number(num) };
    }
    if (this.peek(/^\{/)) return this.selector(null);
    const name = this.ident();
    if ((AGGREGATES as readonly string[]).includes(name) && this.peek(/^(\(|by\b|without\b)/)) {
      let by: string[] | null = null;
      let without: string[] | null = null;
      const clause = () => {
        const kw = this.peek(/^(by|without)\b/);
        if (!kw) return;
        this.pos += kw.length;
        if (kw === 'by') by = this.labelList();
        else without = this.labelList();
      };
      clause();
      this.take(/^\(/, '"("');
      const arg = this.expr();
      this.take(/^\)/, '")"');
      clause();
      return { type: 'aggregate', op: name as AggregateOp, by, without, arg };
    }
    if ((RANGE_FUNCTIONS as readonly string[]).includes(name) && this.peek(/^\(/)) {
      this.take(/^\(/, '"("');
      const arg = this.expr();
      this.take(/^\)/, '")"');
      if (arg.type !== 'selector' || arg.rangeMs === undefined)
        this.fail(`${name}() takes a range selector like x[5m]`);
      return { type: 'call', fn: name as RangeFunction, arg };
    }
    if (this.peek(/^\(/)) this.fail(`unsupported function "${name}"`);
    return this.selector(name);
  }
}

export function parsePromQL(src: string): Expr {
  const p = new Parser(src);
  const e = p.expr();
  p.ws();
  if (p.pos !== src.length) p.fail('unexpected text');
  if (e.type === 'selector' && e.rangeMs !== undefined) p.fail('a range selector needs a function around it');
  return e;
}
