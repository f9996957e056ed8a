/**
 * Operator CLI for the bus's dead letters (`<topic>.dlq`).
 *
 *   npm run bus -- dlq list                          every dead-letter topic and how many records it holds
 *   npm run bus -- dlq list <topic> [--json]         each dead letter of <topic>
 *   npm run bus -- dlq replay <topic> [--id <id> ...] re-publish them (all, or the given ids) to <topic>
 *
 * Kafka when KAFKA_BROKERS is set, else the embedded journal in $DATA_DIR/bus; topics are
 * given without BUS_NAMESPACE, which is added. See README "Dead letters".
 */
import { parseArgs } from 'node:util';
import { DeadLetter, DeadLetters, DeadLetterSource, JournalDeadLetterSource, JournalInUseError, KafkaDeadLetterSource } from '@lapor/bus';
import { AppConfig, kafkaSecurity, loadConfig } from '@lapor/runtime';

const USAGE = `Usage:
  bus dlq list                            every dead-letter topic with its number of records
  bus dlq list <topic> [--json]           the dead letters of <topic> (or of <topic>.dlq): id, where the record
                                          was, group, attempts, when, the error and the start of the value
  bus dlq replay <topic> [--id <id> ...]  re-publish dead letters (all of them, or the given ids) to the topic
                                          they came from, marked with the header x-replayed-from

Uses Kafka when KAFKA_BROKERS is set (topics prefixed with BUS_NAMESPACE), else the embedded journal
in $DATA_DIR/bus, whose replay is refused while npm start runs (stop it, replay, start it again).
Replaying is safe: consumers are idempotent, so a record that was already applied changes nothing.`;

class UsageError extends Error {}

interface Io {
  out(line: string): void;
  err(line: string): void;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Io = { out: console.log, err: console.error }): Promise<number> {
  let dlq: DeadLetters | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { id: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    if (values.help || !positionals.length) {
      io.out(USAGE);
      return values.help ? 0 : 2;
    }
    const [area, command, topic, ...extra] = positionals;
    if (area !== 'dlq') throw new UsageError(`unknown command "${area}"`);
    if (extra.length) throw new UsageError(`unexpected argument(s): ${extra.join(' ')}`);
    const config = loadConfig(env);
    const names = topicNames(config);
    dlq = new DeadLetters(source(config));
    switch (command) {
      case 'list':
        if (values.id) throw new UsageError('--id goes with replay');
        if (!topic) return listTopics(dlq, names, config, io);
        return listLetters(await dlq.list(names.physical(topic)), names, !!values.json, io);
      case 'replay': {
        if (!topic) throw new UsageError('replay needs a topic');
        const replayed = await dlq.replay(names.physical(topic), values.id ?? []);
        if (!replayed.length) {
          io.out(`no dead letters for ${topic}`);
          return 0;
        }
        const targets = [...new Set(replayed.map((l) => names.shown(l.topic)))].join(', ');
        io.out(`replayed ${replayed.length} record(s) to ${targets}: ${replayed.map((l) => l.id).join(' ')}`);
        if (config.bus.kind === 'in-process') io.out('They are handled when npm start next starts.');
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown dlq command "${command}"` : 'dlq needs list or replay');
    }
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`bus: ${(error as Error).message}`);
      io.err('Run "npm run bus -- --help" for usage.');
      return 2;
    }
    io.err(`bus: ${error instanceof JournalInUseError ? error.message : ((error as Error).stack ?? String(error))}`);
    return 1;
  } finally {
    await dlq?.close();
  }
}

function source(config: AppConfig): DeadLetterSource {
  return config.bus.kind === 'kafka'
    ? new KafkaDeadLetterSource({ brokers: config.bus.brokers, clientId: `${config.env.KAFKA_CLIENT_ID}-bus-cli`, ...kafkaSecurity(config) })
    : new JournalDeadLetterSource(config.bus.journalDir);
}

/** Topic names as the operator writes them (canonical) and as the bus stores them (with BUS_NAMESPACE). */
function topicNames(config: AppConfig) {
  const prefix = config.env.BUS_NAMESPACE ? `${config.env.BUS_NAMESPACE}.` : '';
  return {
    physical: (topic: string) => (prefix && !topic.startsWith(prefix) ? prefix + topic : topic),
    shown: (topic: string) => (prefix && topic.startsWith(prefix) ? topic.slice(prefix.length) : topic),
    mine: (topic: string) => !prefix || topic.startsWith(prefix),
  };
}

async function listTopics(dlq: DeadLetters, names: ReturnType<typeof topicNames>, config: AppConfig, io: Io): Promise<number> {
  const topics = (await dlq.topics()).filter((t) => names.mine(t.topic) && t.records > 0);
  const where = config.bus.kind === 'kafka' ? `Kafka ${config.bus.brokers.join(',')}` : `journal ${config.bus.journalDir}`;
  if (!topics.length) {
    io.out(`no dead letters (${where})`);
    return 0;
  }
  io.out(table([['dead-letter topic', 'records'], ...topics.map((t) => [names.shown(t.topic), String(t.records)])]));
  return 0;
}

function listLetters(letters: DeadLetter[], names: ReturnType<typeof topicNames>, json: boolean, io: Io): number {
  if (json) {
    for (const l of letters) io.out(JSON.stringify({ ...l, topic: names.shown(l.topic), deadLetterTopic: names.shown(l.deadLetterTopic), group: names.shown(l.group) }));
    return 0;
  }
  if (!letters.length) {
    io.out('no dead letters');
    return 0;
  }
  const rows = letters.map((l) => [
    l.id,
    `${names.shown(l.topic)}[${l.partition}]@${l.offset}`,
    names.shown(l.group),
    String(l.attempts),
    l.at,
    preview(`${l.error}: ${l.reason}`, 70),
    preview(l.value, 60),
  ]);
  io.out(table([['id', 'from', 'group', 'attempts', 'at', 'error', 'value'], ...rows]));
  io.out(`${letters.length} dead letter(s); replay with: npm run bus -- dlq replay ${names.shown(letters[0].topic)} --id <id>`);
  return 0;
}

function preview(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n');
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
