// The Prometheus text exposition a scraper sees at /metrics (format 0.0.4), checked line by line
// against its grammar and parsed into samples. (Values are Go floats: NaN and Inf in any case.)

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name → TYPE. */
  types: Map<string, string>;
  samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:\\\\.|[^"\\\\])*",?)*)\\})? (-?[0-9.]+(?:e[+-]?\\d+)?|(?:[Nn][Aa][Nn])|[+-]?[Ii]nf)(?: -?\\d+)?$`);
const COMMENT = new RegExp(`^# (?:HELP (${NAME}) .*|TYPE (${NAME}) (counter|gauge|histogram|summary|untyped))$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"/g;

export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const comment = line.match(COMMENT);
    if (comment) {
      if (comment[2]) types.set(comment[2], comment[3]);
      continue;
    }
    const sample = line.match(SAMPLE);
    if (!sample) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (sample[2] ?? '').matchAll(LABEL)) labels[k] = v.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    samples.push({ name: sample[1], labels, value: Number(sample[3]) });
  }
  return { types, samples };
}

/** GETs /metrics and parses it; throws if the answer is not valid Prometheus text. */
export async function scrape(baseUrl: string): Promise<Exposition> {
  const res = await fetch(`${baseUrl}/metrics`);
  if (!res.ok) throw new Error(`${baseUrl}/metrics answered ${res.status}`);
  if (!res.headers.get('content-type')?.startsWith('text/plain')) throw new Error(`${baseUrl}/metrics is ${res.headers.get('content-type')}`);
  return parseExposition(await res.text());
}

/** Sum of a family's samples whose labels include `labels`; for a histogram, of its observation counts. */
export function total(exposition: Exposition, family: string, labels: Record<string, string> = {}): number {
  const name = exposition.types.get(family) === 'histogram' ? `${family}_count` : family;
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
