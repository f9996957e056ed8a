import { Logger } from '@nestjs/common';
import { logLevel as KafkaLogLevel, LogEntry } from 'kafkajs';
import { EventBus, InProcessBus, KafkaBus, NamespacedBus } from '@lapor/bus';
import { ALL_TOPICS } from '@lapor/contracts';
import type { AppConfig } from './config';

/** Kafka when KAFKA_BROKERS is set, else the journaled in-process bus (embedded mode). */
export function createBus(config: AppConfig, clientId: string): EventBus {
  const bus = createRawBus(config, clientId);
  return config.env.BUS_NAMESPACE ? new NamespacedBus(bus, config.env.BUS_NAMESPACE) : bus;
}

function createRawBus(config: AppConfig, clientId: string): EventBus {
  const log = new Logger('EventBus');
  const onHandlerError = (error: unknown, record: { topic: string; offset: string }, group: string) =>
    log.warn(`${group} failed on ${record.topic}@${record.offset}, will retry: ${(error as Error)?.message ?? error}`);
  if (config.bus.kind === 'kafka') {
    return new KafkaBus({
      brokers: config.bus.brokers,
      clientId: `${config.env.KAFKA_CLIENT_ID}-${clientId}`,
      publishTimeoutMs: config.env.BUS_PUBLISH_TIMEOUT_MS,
      partitionsConsumedConcurrently: config.env.KAFKA_CONSUMER_CONCURRENCY,
      topics: ALL_TOPICS.map((topic) => ({
        name: config.env.BUS_NAMESPACE ? `${config.env.BUS_NAMESPACE}.${topic}` : topic,
        partitions: config.env.KAFKA_TOPIC_PARTITIONS,
        replicationFactor: config.env.KAFKA_REPLICATION_FACTOR,
      })),
      onHandlerError,
      logCreator: kafkaLogs,
    });
  }
  return new InProcessBus({ journalDir: config.bus.journalDir, onHandlerError });
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
