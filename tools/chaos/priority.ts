import { readdirSync, readFileSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The harness plays the citizens' phones, the vendors' clouds and the operator's monitoring,
 * none of which runs on the server in real life. On this 2-core machine, at a load of 14, it
 * starved with the services: its event loop stalled for up to 26 s (measured), so it offered
 * late, timed its faults late and read Kafka's lag late or not at all, and the report blamed
 * the services for the harness's own delays. So every thread of the harness runs at a higher
 * priority (nice HARNESS_NICE; needs root, else the run goes on without and says so), and
 * whatever it starts (brokers, PostgreSQL, the services, and their restarts after a fault)
 * is put back to nice 0: the system under test gets exactly the CPU it would get alone.
 */
export const HARNESS_NICE = -5;

/** Raises every thread of this process; false when not allowed. */
export function raiseHarnessPriority(): boolean {
  try {
    for (const tid of readdirSync('/proc/self/task')) setPriority(Number(tid), HARNESS_NICE);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every thread of every other process that inherited the harness's priority back to 0
 * (on Linux a child inherits the nice value of the thread that forked it). Cheap enough to
 * call every second: it reads /proc/<pid>/task/<tid>/stat.
 */
export function lowerChildren(): number {
  let lowered = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Fields after "(comm) ": state is field 3, nice field 19 (man 5 proc).
        const nice = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        if (nice === HARNESS_NICE) {
          setPriority(Number(tid), 0);
          lowered++;
        }
      } catch {
        // gone meanwhile, or not ours to change
      }
    }
  }
  return lowered;
}
