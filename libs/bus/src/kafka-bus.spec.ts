import { logLevel } from 'kafkajs';
import { runBusContract } from './bus.contract';
import { DeadLetters, KafkaDeadLetterSource } from './dead-letters';
import { KafkaBus } from './kafka-bus';

// The broker is the real Apache Kafka started by test/global-setup.ts (or KAFKA_BROKERS).
const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
// The broker's smallest allowed session (group.min.session.timeout.ms), so eviction would show quickly.
const sessionTimeoutMs = 6000;

runBusContract('KafkaBus', () => ({
  create: (instance, options) =>
    new KafkaBus({ brokers: brokers(), clientId: `contract-${instance}`, metadataMaxAgeMs: 1000, logLevel: logLevel.NOTHING, sessionTimeoutMs, ...options }),
  durable: true,
  sessionTimeoutMs,
  deadLetters: () => new DeadLetters(new KafkaDeadLetterSource({ brokers: brokers(), logLevel: logLevel.NOTHING })),
}));
