import { parse } from 'yaml';
import { appOfCommand, CONFIG_VARIABLES, deployableApps, runTool } from '../support/deployables';

/**
 * docker-compose.yml is checked offline with Debian's docker-compose (there is no container
 * engine here): it must be valid, in both the one-broker and the three-broker form, and describe
 * every app with variables the configuration schema knows.
 */
interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

const THREE_BROKERS = ['--env-file', 'infra/compose/three-brokers.env', '--profile', 'three-brokers'];

function resolved(extra: string[] = []): Record<string, ComposeService> {
  return (parse(runTool('docker-compose', [...extra, 'config'])) as { services: Record<string, ComposeService> }).services;
}

describe('docker-compose.yml', () => {
  const services = resolved();
  const apps = Object.entries(services).filter(([, s]) => appOfCommand(s.command));

  it.each([
    ['one broker', []],
    ['three brokers', THREE_BROKERS],
  ])('should be valid with %s (docker-compose config -q)', (_name, extra) => {
    expect(() => runTool('docker-compose', [...(extra as string[]), 'config', '-q'])).not.toThrow();
  });

  it('should run every app in apps/ (except embedded) as a service', () => {
    expect(apps.map(([, s]) => appOfCommand(s.command)).sort()).toEqual(deployableApps());
  });

  it('should set only variables that exist in the configuration schema (libs/runtime/src/config.ts)', () => {
    const unknown = apps.flatMap(([name, s]) => Object.keys(s.environment ?? {}).filter((v) => !CONFIG_VARIABLES.has(v)).map((v) => `${name}: ${v}`));
    expect(unknown).toEqual([]);
  });

  it('should give every app a readiness health check and start it only once Kafka (and PostgreSQL where it has DATABASE_URL) is healthy', () => {
    for (const [name, s] of apps) {
      expect([name, s.healthcheck?.test.join(' ')]).toEqual([name, expect.stringContaining('/health/ready')]);
      expect([name, s.depends_on?.kafka?.condition]).toEqual([name, 'service_healthy']);
      if (s.environment?.DATABASE_URL) expect([name, s.depends_on?.postgres?.condition]).toEqual([name, 'service_healthy']);
    }
  });

  it('should run three KRaft brokers with replication 3 in the three-brokers profile', () => {
    const three = resolved(THREE_BROKERS);
    const brokers = Object.entries(three).filter(([, s]) => s.environment?.KAFKA_NODE_ID);
    expect(brokers.map(([, s]) => s.environment!.KAFKA_NODE_ID).sort()).toEqual(['1', '2', '3']);
    for (const [, s] of brokers) {
      expect(s.environment!.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093');
      expect(s.environment!.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    }
    for (const [, s] of Object.entries(three).filter(([, s]) => appOfCommand(s.command))) {
      expect(s.environment!.KAFKA_BROKERS.split(',')).toHaveLength(3);
      expect(s.environment!.KAFKA_REPLICATION_FACTOR).toBe('3');
    }
    // Only with the profile: a plain `docker compose up` runs one broker.
    expect(brokers.map(([, s]) => s.profiles ?? [])).toEqual([[], ['three-brokers'], ['three-brokers']]);
  });
});
