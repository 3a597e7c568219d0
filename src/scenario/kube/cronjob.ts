// batch/v1 CronJob -> a workload draft whose Jobs are stamped from spec.jobTemplate.
//
// kube: SetDefaults_CronJob — concurrencyPolicy Allow, suspend false (history limits do not
// matter to the simulation). Validation (pkg/apis/batch/validation ValidateCronJobSpec):
// the schedule must parse with robfig/cron's ParseStandard (5 fields or a descriptor), must not
// carry TZ= / CRON_TZ= (use timeZone), timeZone must be a known IANA zone,
// startingDeadlineSeconds >= 0.

import { CronExpressionParser } from 'cron-parser';
import type { Cur } from '../cursor.js';
import type { CronJobSpec } from '../model.js';
import type { PriorityTable } from './pod-template.js';
import { readJob, type WorkloadDraft } from './workloads.js';

/** robfig/cron descriptors that ParseStandard accepts, as cron-parser spells them. */
const DESCRIPTORS: Record<string, string> = {
  '@yearly': '@yearly',
  '@annually': '@yearly',
  '@monthly': '@monthly',
  '@weekly': '@weekly',
  '@daily': '@daily',
  '@midnight': '@daily',
  '@hourly': '@hourly',
};

/**
 * The schedule in cron-parser's syntax, or an error message. robfig/cron ParseStandard takes
 * exactly 5 fields (no seconds) and no `L`, `#` or `H` (cron-parser extensions).
 */
export function normalizeSchedule(schedule: string): { expr: string } | { error: string } {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return { error: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' };
  if (s.startsWith('@')) {
    if (s.startsWith('@every')) return { error: '`@every` schedules are not simulated; write the interval as a 5-field cron expression' };
    const d = DESCRIPTORS[s];
    return d === undefined ? { error: `unrecognized descriptor: ${s}` } : { expr: d };
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return { error: `expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}: ${JSON.stringify(s)}` };
  if (/[LH#]/i.test(s.replace(/[a-z]{3}/gi, (m) => (/^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i.test(m) ? '' : m)))) {
    return { error: `\`L\`, \`#\` and \`H\` are not part of Kubernetes' cron syntax: ${JSON.stringify(s)}` };
  }
  try {
    CronExpressionParser.parse(s, { currentDate: 0, tz: 'UTC' }).next();
  } catch (e) {
    return { error: `invalid schedule ${JSON.stringify(s)}: ${(e as Error).message}` };
  }
  return { expr: s };
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function readCronJob(c: Cur, base: Pick<WorkloadDraft, 'kind' | 'name' | 'namespace' | 'key' | 'source'>, priorities: PriorityTable): WorkloadDraft | undefined {
  const spec = c.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const schedCur = spec.requireChild('schedule');
  const raw = schedCur.str();
  let schedule: string | undefined;
  if (raw !== undefined) {
    const n = normalizeSchedule(raw);
    if ('error' in n) schedCur.error(n.error);
    else schedule = n.expr;
  }
  const tzCur = spec.child('timeZone');
  const timeZone = tzCur.missing ? null : (tzCur.str() ?? null);
  if (timeZone !== null && !validTimeZone(timeZone)) tzCur.error(`unknown time zone ${JSON.stringify(timeZone)}`);
  const cpCur = spec.child('concurrencyPolicy');
  const cp = cpCur.str() ?? 'Allow';
  if (cp !== 'Allow' && cp !== 'Forbid' && cp !== 'Replace') {
    cpCur.error(`unsupported value ${JSON.stringify(cp)}: supported values: "Allow", "Forbid", "Replace"`);
    return undefined;
  }
  const sdCur = spec.child('startingDeadlineSeconds');
  const startingDeadlineSeconds = sdCur.missing ? null : (sdCur.int({ min: 0 }) ?? null);
  const suspend = spec.child('suspend').bool() ?? false;
  const job = readJob(spec.requireChild('jobTemplate'), base, priorities, true);
  if (job === undefined || schedule === undefined || (timeZone !== null && !validTimeZone(timeZone))) return undefined;
  const cronJob: CronJobSpec = { schedule, timeZone, concurrencyPolicy: cp, startingDeadlineSeconds, suspend };
  return { ...job, cronJob };
}
