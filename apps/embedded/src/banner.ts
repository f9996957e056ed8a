import type { INestApplication } from '@nestjs/common';
import { CHANNELS, ChannelId } from '@lapor/contracts';
import type { AppConfig, InboundAdapter, InboundAdapterType } from '@lapor/runtime';
import { STATUS_PAGE_PATH } from '../../notifier/src/messages/message';
import { SMS_ADAPTERS } from '../../sms-intake/src/sms-intake.module';
import { SOCIAL_ADAPTERS } from '../../social-intake/src/social-intake.module';

/** Every inbound channel adapter `npm start` serves (each intake module's own list). */
const ADAPTERS: InboundAdapterType[] = [...SMS_ADAPTERS, ...SOCIAL_ADAPTERS];

export interface ChannelLine {
  label: string;
  /** The webhook URLs to enter at the vendor, when the channel is on and answers webhooks. */
  urls: string[];
  /** Why there is no URL to enter (off: its secrets are unset; or on without a webhook, e.g. Telegram polling). */
  note?: string;
  on: boolean;
}

/**
 * Each channel of the registry (libs/contracts/src/channels/registry.ts) that has an adapter
 * here, in the registry's order: on with its webhook URLs (PUBLIC_BASE_URL's, which the vendor
 * calls, else this machine's), or off. A route the adapter says is not in use (verify → 503:
 * Telegram while it long-polls) gets that reason instead of a URL.
 */
export function channelLines(app: INestApplication, config: AppConfig, localUrl: string): ChannelLine[] {
  const base = (config.env.PUBLIC_BASE_URL ?? localUrl).replace(/\/+$/, '');
  return (Object.keys(CHANNELS) as ChannelId[]).flatMap((channel) =>
    ADAPTERS.flatMap((type): ChannelLine[] => {
      const adapter = app.get<InboundAdapter>(type, { strict: false });
      if (adapter.channel !== channel) return [];
      const label = CHANNELS[channel].label;
      if (adapter.off) return [{ label, urls: [], on: false }];
      const routes = type.routes(config.env).filter((route) => route.method === 'POST');
      const unused = routes.map((route) => notInUse(adapter, route)).find(Boolean);
      if (unused) return [{ label, urls: [], note: unused, on: true }];
      return [{ label, urls: [...new Set(routes.map((route) => `${base}${route.path}`))], on: true }];
    }),
  );
}

/** Asks the adapter with an empty request: 503 is its "this route is not in use" (libs/runtime inbound-adapter.ts). */
function notInUse(adapter: InboundAdapter, route: ReturnType<InboundAdapterType['routes']>[number]): string | undefined {
  try {
    const verdict = adapter.verify({ headers: {}, originalUrl: route.path, protocol: 'http', body: {}, rawBody: Buffer.alloc(0) }, route);
    return !verdict.ok && verdict.status === 503 ? verdict.reason : undefined;
  } catch {
    return undefined;
  }
}

export interface BannerFacts {
  url: string;
  channels: ChannelLine[];
  bus: string;
  database: string;
  mail: string;
  logLevel: string;
  firstAdmin: { email: string; oneTimePassword: string } | null;
}

/**
 * What `npm start` prints once it listens: where everything is, which channels are on (and the
 * URLs to give their vendors), a curl example, and the first admin's one-time password. Logs
 * below warn are off unless LOG_LEVEL says otherwise, so this is what a newcomer reads.
 */
export function banner(f: BannerFacts): string {
  const on = f.channels.filter((c) => c.on);
  const off = f.channels.filter((c) => !c.on);
  return [
    '',
    `lapor-gateway is running: ${f.url}`,
    `  web form:        ${f.url}/`,
    `  status page:     ${f.url}${STATUS_PAGE_PATH}`,
    `  API docs:        ${f.url}/api/v1/openapi.json`,
    `  officer console: ${f.url}/desk   (officer API: ${f.url}/desk/v1/openapi.json)`,
    ...(on.length ? ['  channel webhooks (give these to each vendor):', ...on.map((c) => `    ${c.label.padEnd(13)} ${c.urls.length ? c.urls.join(' , ') : c.note}`)] : []),
    ...(off.length ? [`  channels off:    ${off.map((c) => c.label).join(', ')} (no credentials set; see docs/channels/)`] : []),
    `  running on:      ${f.bus} · ${f.database} · e-mail: ${f.mail}`,
    `  logs:            ${f.logLevel === 'warn' ? 'warnings and errors only (LOG_LEVEL=log for more)' : `LOG_LEVEL=${f.logLevel}`}`,
    '',
    'File a complaint:',
    `  curl -s -X POST ${f.url}/api/v1/complaints -H 'Content-Type: application/json' -d '{"text":"Jalan rusak parah di depan SDN 1, mohon diperbaiki","regionCode":"32.73","reporter":{"email":"warga@example.com"}}'`,
    'Then look it up (use the trackingId it printed):',
    `  curl -s ${f.url}/api/v1/complaints/<trackingId>`,
    ...(f.firstAdmin
      ? [
          '',
          `First start: log in as national admin ${f.firstAdmin.email} with the one-time password ${f.firstAdmin.oneTimePassword} at ${f.url}/desk`,
          '  (you choose your own password at first login; add officials with: npm run desk -- officer add --help)',
        ]
      : []),
    '',
  ].join('\n');
}
