import { resolve } from 'node:path';
import { CHANNEL_ENV } from '@lapor/contracts';
import { z } from 'zod';

const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
/** An optional URL with one of these schemes (a typo such as "lapor.go.id" without https:// is refused at start, not at the first e-mail). */
const optionalUrl = (...schemes: string[]) =>
  z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => {
        try {
          return schemes.includes(new URL(v).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      }, `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL`)
      .optional(),
  );
/** host:port, or [IPv6]:port. */
const BROKER = /^(\[[0-9a-fA-F:.]+\]|[^\s,:[\]]+):\d{1,5}$/;
const number = (fallback: number) => z.preprocess((v) => (v === '' || v === undefined ? fallback : Number(v)), z.number());
const positiveInt = (fallback: number) => z.preprocess((v) => (v === '' || v === undefined ? fallback : Number(v)), z.number().int().positive());

/**
 * Every environment variable the system reads, parsed once. The README's configuration
 * table mirrors this schema. Unset KAFKA_BROKERS / DATABASE_URL / SMTP_URL mean the
 * embedded defaults: in-process bus, PGlite and a local outbox.
 */
export const EnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: optionalString,
  /** Each service's own port when it runs alone (read through AppConfig.port); else PORT, else its default. */
  WEB_INTAKE_PORT: optionalString,
  SMS_INTAKE_PORT: optionalString,
  SOCIAL_INTAKE_PORT: optionalString,
  ROUTER_PORT: optionalString,
  NOTIFIER_PORT: optionalString,
  HOST: z.string().default('0.0.0.0'),
  /** The folder holding the routing reference data (regions/) and default rules; found by itself when unset. */
  LAPOR_ROUTING_DATA_DIR: optionalString,
  DATA_DIR: z.string().default('.data'),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** json: one object per line (services, default); pretty: readable lines (`npm start`'s default). */
  LOG_FORMAT: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['json', 'pretty']).optional()),
  /**
   * On SIGTERM: how long to drain (in-flight HTTP requests, handlers, sends, the producer) before
   * exiting anyway. Kubernetes' terminationGracePeriodSeconds must cover it plus the preStop pause.
   */
  SHUTDOWN_TIMEOUT_MS: number(25000),

  KAFKA_BROKERS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .refine((v) => v.split(',').every((b) => BROKER.test(b.trim())), 'must be host:port[,host:port...]')
      .optional(),
  ),
  KAFKA_CLIENT_ID: z.string().default('lapor-gateway'),
  KAFKA_TOPIC_PARTITIONS: number(6),
  KAFKA_REPLICATION_FACTOR: number(-1),
  KAFKA_CONSUMER_CONCURRENCY: number(6),
  /** SASL for clusters that authenticate clients (Strimzi KafkaUser with scram-sha-512); unset: none. */
  KAFKA_SASL_MECHANISM: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['scram-sha-512', 'scram-sha-256', 'plain']).optional()),
  KAFKA_SASL_USERNAME: optionalString,
  KAFKA_SASL_PASSWORD: optionalString,
  /** TLS to the brokers: PEM file of the cluster CA to trust (Strimzi's <cluster>-cluster-ca-cert). Unset: plaintext. */
  KAFKA_SSL_CA_FILE: optionalString,
  BUS_PUBLISH_TIMEOUT_MS: number(10000),
  /** Concurrent publishes share one Kafka produce request: the first waits at most this long for company (0: only what queues behind a request in flight). */
  BUS_PRODUCE_LINGER_MS: z.preprocess((v) => (v === '' || v === undefined ? 1 : Number(v)), z.number().min(0).max(1000)),
  /** Records per shared produce request at most (1 turns sharing off: one request per publish). */
  BUS_PRODUCE_MAX_RECORDS: positiveInt(500),
  BUS_NAMESPACE: optionalString,
  // The consumers' failure policy (libs/bus/src/failure-policy.ts): tries of one record, then <topic>.dlq.
  BUS_MAX_ATTEMPTS: positiveInt(10),
  BUS_RETRY_BASE_MS: positiveInt(500),
  BUS_RETRY_MAX_MS: positiveInt(30000),
  /** How long the partitions of a consumer that died without leaving its group stall (broker limits: 6 s to 30 min). */
  KAFKA_SESSION_TIMEOUT_MS: positiveInt(10000),
  KAFKA_HEARTBEAT_INTERVAL_MS: positiveInt(1000),

  DATABASE_URL: optionalUrl('postgres', 'postgresql'),
  /** The password for DATABASE_URL, kept apart so it can come from a Secret (it replaces the URL's). */
  DATABASE_PASSWORD: optionalString,
  DATABASE_POOL_SIZE: number(10),

  ROUTER_URL: optionalUrl('http', 'https'),
  PUBLIC_BASE_URL: optionalUrl('http', 'https'),
  ADMIN_API_TOKEN: optionalString,
  /** How often the router's outbox relay looks for events left unpublished (by a crash) and how old they must be. */
  ROUTER_OUTBOX_RELAY_MS: number(2000),
  /** `off`: each inbound message on its own (the path before issue 12's batches; for comparison and as a way back). */
  ROUTER_BATCH_REGISTRATION: z.enum(['on', 'off']).default('on'),
  /**
   * Deployment secret from which each body's webhook key is derived (libs/contracts
   * agency-webhook.ts): the notifier signs agency webhooks, the desk shows the key to the
   * body's liaison. Unset: agency webhooks are off (one log line); e-mails still go.
   */
  AGENCY_WEBHOOK_SECRET: optionalString,
  /**
   * Ombudsman RI's intake (issue 10, docs/ombudsman.md): a complaint the reporter forwards is
   * POSTed here as JSON, signed like the agency webhooks (X-Lapor-Signature: sha256=HMAC of
   * the raw body) with OMBUDSMAN_WEBHOOK_SECRET itself as the key. Needs the secret; and/or
   * OMBUDSMAN_EMAIL, an intake mailbox that receives it as a readable e-mail with the same JSON at its end.
   */
  OMBUDSMAN_WEBHOOK_URL: optionalString,
  OMBUDSMAN_WEBHOOK_SECRET: optionalString,
  OMBUDSMAN_EMAIL: optionalString,

  ROUTING_EDITION: z.enum(['current', '2019']).default('current'),
  ROUTING_TRIAGE_THRESHOLD: number(0.5),
  ROUTING_CONNECTED_BODIES: optionalString,
  ROUTING_RULES_FILE: optionalString,
  ROUTING_MODELS_DIR: z.string().default('models'),

  SMTP_URL: optionalUrl('smtp', 'smtps'),
  MAIL_FROM: z.string().default('LAPOR! <no-reply@lapor.go.id>'),
  OUTBOX_DIR: optionalString,
  NOTIFY_MAX_ATTEMPTS: number(8),
  NOTIFY_RETRY_BASE_MS: number(30000),
  NOTIFY_POLL_MS: number(1000),
  /** How long a claimed message is held by one notifier replica; renewed while its send is in flight, so a crashed replica's messages are taken up by another within this time. */
  NOTIFY_LEASE_MS: number(15000),
  NOTIFY_LEASE_RENEW_MS: number(5000),
  /** Messages one notifier replica has with vendors at once (each to a different recipient). */
  NOTIFY_MAX_IN_FLIGHT: positiveInt(64),
  NOTIFY_MAX_REPLIES_PER_HOUR: number(10),
  FOLLOW_UP_WINDOW_SECONDS: number(600),

  // Agency desk (apps/desk), see README "For agencies".
  /** The desk's externally visible base URL (links in officials' e-mails); else PUBLIC_BASE_URL. */
  DESK_PUBLIC_URL: optionalUrl('http', 'https'),
  /** Idle officials are logged out after this many minutes; a session lasts at most DESK_SESSION_MAX_HOURS. */
  DESK_SESSION_IDLE_MINUTES: number(60),
  DESK_SESSION_MAX_HOURS: number(12),
  /** An account is locked for DESK_LOCKOUT_MINUTES after this many failed logins in a row. */
  DESK_LOCKOUT_THRESHOLD: number(5),
  DESK_LOCKOUT_MINUTES: number(15),
  /** Failed logins one client address may make per DESK_LOCKOUT_MINUTES (any accounts) before it is refused. */
  DESK_ADDRESS_MAX_FAILURES: number(20),
  /** Days (calendar days for now) a reporter has to object to a response before the system closes it. */
  OBJECTION_WINDOW_DAYS: number(10),
  /** How often the desk's timers look for due complaints. */
  DESK_TIMER_POLL_MS: number(30000),
  // Attachments (libs/storage), see README "Attachments".
  /** filesystem (default; DATA_DIR/attachments or ATTACHMENT_DIR: one machine, `npm start`) or s3 (production). */
  ATTACHMENT_STORE: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['filesystem', 's3']).default('filesystem')),
  ATTACHMENT_DIR: optionalString,
  /** Largest file accepted on any channel, in bytes (channels may allow less). */
  ATTACHMENT_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  /** Files per complaint. */
  ATTACHMENT_MAX_FILES: positiveInt(5),
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  /** An S3-compatible server (MinIO, Ceph RGW); unset: AWS S3. */
  S3_ENDPOINT: optionalString,
  /** Unset: the AWS SDK's default credential chain (e.g. IRSA on EKS). */
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  /** Open311 client applications allowed to POST: `name:key,name:key` (README "Open311"); unset: POST is refused. */
  OPEN311_API_KEYS: optionalString,
  /** The one Open311 jurisdiction served; a client's `jurisdiction_id`, when sent, must be this (else 404). */
  OPEN311_JURISDICTION_ID: z.string().default('lapor.go.id'),

  // Each channel's own variables (TWILIO_*, TELEGRAM_*, X_*, ...) are declared by its
  // registry entry in libs/contracts/src/channels/registry.ts and documented in docs/channels/.
  ...CHANNEL_ENV,
});
export type Env = z.infer<typeof EnvSchema>;

export interface AppConfig {
  env: Env;
  /** The port of this process: <APP>_PORT for a service started alone, else PORT, else the default. */
  port(appPortVar: string, fallback: number): number;
  bus: { kind: 'kafka'; brokers: string[] } | { kind: 'in-process'; journalDir: string };
  database: { databaseUrl?: string; pgliteDir: string; poolSize: number };
  outboxDir: string;
}

/**
 * A missing or invalid setting. `npm start` and every service's main print its message as one
 * line on stderr, e.g. "LAPOR config: KAFKA_BROKERS is required for the router (...)", and exit
 * 1 (runService in bootstrap.ts), never a stack trace.
 */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; problem: string }[]) {
    super(`LAPOR config: ${problems.map((p) => `${p.variable} ${p.problem}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** Why a service started on its own cannot do without a variable (`npm start` can: its embedded defaults). */
const REQUIRED_BECAUSE = {
  KAFKA_BROKERS: 'a service started on its own reaches the others only through Kafka; `npm start` runs them all in one process without it',
  DATABASE_URL: 'it keeps its records in PostgreSQL; `npm start` uses PGlite instead',
  TWILIO_AUTH_TOKEN: 'the Twilio auth token that signs webhooks: without it not one could be verified; see docs/channels/sms.md',
} as const;
export type RequiredSetting = keyof typeof REQUIRED_BECAUSE;

/** What one entry point needs beyond the schema (each service's main.ts); `service` completes "is required for ...". */
export interface ServiceNeeds {
  service: string;
  requires?: RequiredSetting[];
}

/** The settings `needs` requires that `source` lacks, as ConfigError problems. */
export function missingSettings(source: Record<string, unknown>, needs: ServiceNeeds): { variable: string; problem: string }[] {
  return (needs.requires ?? []).filter((v) => !source[v]).map((variable) => ({ variable, problem: `is required for the ${needs.service} service (${REQUIRED_BECAUSE[variable]})` }));
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env, needs?: ServiceNeeds): AppConfig {
  const parsed = EnvSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, source));
  if (needs) problems.push(...missingSettings(source, needs));
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const env = parsed.data;
  const dataDir = resolve(env.DATA_DIR);
  return {
    env,
    port: (appPortVar, fallback) => {
      const variable = source[appPortVar] ? appPortVar : env.PORT ? 'PORT' : undefined;
      if (!variable) return fallback;
      const port = Number(source[variable]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError([{ variable, problem: `must be a port number from 1 to 65535 (got ${JSON.stringify(source[variable])})` }]);
      return port;
    },
    bus: env.KAFKA_BROKERS
      ? { kind: 'kafka', brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter(Boolean) }
      : { kind: 'in-process', journalDir: resolve(dataDir, 'bus') },
    database: { databaseUrl: withPassword(env.DATABASE_URL, env.DATABASE_PASSWORD), pgliteDir: resolve(dataDir, 'pglite'), poolSize: env.DATABASE_POOL_SIZE },
    outboxDir: resolve(env.OUTBOX_DIR ?? resolve(dataDir, 'outbox')),
  };
}

/** Values never repeated in an error line: secrets, and the password inside a URL. */
const SECRET = /SECRET|TOKEN|PASSWORD|_KEY|KEYS|SID$/;

/** One schema problem in plain words, with the value as given (unless it is a secret). */
function describeIssue(issue: z.core.$ZodIssue, source: NodeJS.ProcessEnv): { variable: string; problem: string } {
  const variable = String(issue.path[0] ?? 'configuration');
  const raw = source[variable];
  const got = raw === undefined || SECRET.test(variable) ? '' : ` (got ${JSON.stringify(raw.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@'))})`;
  switch (issue.code) {
    case 'invalid_value':
      return { variable, problem: `must be one of ${issue.values.map(String).join(', ')}${got}` };
    case 'invalid_type':
      return { variable, problem: `${issue.expected === 'int' ? 'must be a whole number' : issue.expected === 'number' ? 'must be a number' : `must be a ${issue.expected}`}${got}` };
    case 'too_small':
      return { variable, problem: `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${got}` };
    case 'too_big':
      return { variable, problem: `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${got}` };
    default:
      return { variable, problem: `${issue.message.replace(/^Invalid input: /, '')}${got}` };
  }
}

function withPassword(url: string | undefined, password: string | undefined): string | undefined {
  if (!url || !password) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
