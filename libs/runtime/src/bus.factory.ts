import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { BusObserver, ConsumedRecord, describeError, EventBus, InProcessBus, KafkaBus, KafkaBusOptions, NamespacedBus } from '@lapor/bus';
import { ALL_TOPICS, EventHeaders } from '@lapor/contracts';
import type { AppConfig } from './config';

/** Kafka when KAFKA_BROKERS is set, else the journaled in-process bus (embedded mode). */
export function createBus(config: AppConfig, clientId: string, observer: BusObserver = busLogObserver()): EventBus {
  const bus = createRawBus(config, clientId, observer);
  return config.env.BUS_NAMESPACE ? new NamespacedBus(bus, config.env.BUS_NAMESPACE) : bus;
}

function createRawBus(config: AppConfig, clientId: string, observer: BusObserver): EventBus {
  const retry = { maxAttempts: config.env.BUS_MAX_ATTEMPTS, baseDelayMs: config.env.BUS_RETRY_BASE_MS, maxDelayMs: config.env.BUS_RETRY_MAX_MS };
  if (config.bus.kind === 'kafka') {
    return new KafkaBus({
      brokers: config.bus.brokers,
      clientId: `${config.env.KAFKA_CLIENT_ID}-${clientId}`,
      publishTimeoutMs: config.env.BUS_PUBLISH_TIMEOUT_MS,
      produceBatching: { lingerMs: config.env.BUS_PRODUCE_LINGER_MS, maxRecords: config.env.BUS_PRODUCE_MAX_RECORDS },
      partitionsConsumedConcurrently: config.env.KAFKA_CONSUMER_CONCURRENCY,
      sessionTimeoutMs: config.env.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: config.env.KAFKA_HEARTBEAT_INTERVAL_MS,
      topics: ALL_TOPICS.map((topic) => ({
        name: config.env.BUS_NAMESPACE ? `${config.env.BUS_NAMESPACE}.${topic}` : topic,
        partitions: config.env.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: config.env.KAFKA_REPLICATION_FACTOR,
      })),
      retry,
      observer,
      logCreator: kafkaLogs,
      ...kafkaSecurity(config),
    });
  }
  return new InProcessBus({ journalDir: config.bus.journalDir, retry, observer });
}

/**
 * The bus's log lines: one warning per failed try and per dead letter, each naming the
 * record (topic[partition]@offset, correlation id), the consumer group and the real error.
 */
export function busLogObserver(log = new Logger('EventBus')): BusObserver {
  const where = (group: string, record: ConsumedRecord) =>
    `${group} on ${record.topic}[${record.partition}]@${record.offset} (correlation ${record.headers?.[EventHeaders.correlationId] ?? '-'})`;
  const why = (error: unknown) => {
    const { name, message } = describeError(error);
    return `${name}: ${message}`;
  };
  return {
    retrying: ({ group, record, attempt, maxAttempts, delayMs, error }) =>
      log.warn(`${where(group, record)} failed (attempt ${attempt}/${maxAttempts}), retrying in ${delayMs} ms: ${why(error)}`),
    batchFailed: ({ group, topic, partition, records, error }) =>
      log.warn(`${group} on ${topic}[${partition}]: a batch of ${records} record(s) failed, handling them one by one: ${why(error)}`),
    deadLettered: ({ group, record, attempts, error, deadLetterTopic }) =>
      log.warn(`${where(group, record)} dead-lettered to ${deadLetterTopic} after ${attempts} attempt(s): ${why(error)}`),
    deadLetterFailed: ({ group, record, error, delayMs }) =>
      log.error(`${where(group, record)} could not be dead-lettered (not committed; trying again in ${delayMs} ms): ${why(error)}`),
    groupJoined: ({ group, memberId, assignment }) =>
      log.log(`${group} joined as ${memberId}: ${Object.entries(assignment).map(([topic, partitions]) => `${topic}[${partitions.join(',')}]`).join(' ') || 'no partitions'}`),
  };
}

/** SASL and TLS from KAFKA_SASL_* / KAFKA_SSL_CA_FILE (a Strimzi listener with scram-sha-512 over TLS). */
export function kafkaSecurity(config: AppConfig): Pick<KafkaBusOptions, 'sasl' | 'ssl'> {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password, KAFKA_SSL_CA_FILE: caFile } = config.env;
  if (mechanism && (!username || !password)) {
    throw new Error(`KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`);
  }
  return {
    ...(mechanism ? { sasl: { mechanism, username: username!, password: password! } as KafkaBusOptions['sasl'] } : {}),
    ...(caFile ? { ssl: { ca: [readFileSync(caFile, 'utf8')] } } : {}),
  };
}

/**
 * kafkajs' log lines through Nest's logger. Protocol errors it retries by itself
 * ("[Connection] Response ...": coordinator loading, leader moving) are debug noise.
 */
function kafkaLogs() {
  const log = new Logger('kafkajs');
  return ({ level, log: entry }: LogEntry) => {
    const { message, ...extra } = entry;
    const line = `${message} ${extra.error ? `(${extra.error})` : ''}`.trim();
    if (level <= KafkaLogLevel.ERROR && !/^(\[Connection\] )?Response /.test(message)) log.error(line);
    else if (level <= KafkaLogLevel.WARN) log.warn(line);
    else log.debug(line);
  };
}
