import { logLevel } from 'kafkajs';
import { runBusContract } from './bus.contract';
import { KafkaBus } from './kafka-bus';

// The broker is the real Apache Kafka started by test/global-setup.ts (or KAFKA_BROKERS).
const brokers = () => (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');

runBusContract('KafkaBus', () => ({
  create: (instance) => new KafkaBus({ brokers: brokers(), clientId: `contract-${instance}`, metadataMaxAgeMs: 1000, logLevel: logLevel.NOTHING }),
  durable: true,
}));
