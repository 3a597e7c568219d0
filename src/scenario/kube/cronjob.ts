// batch/v1 CronJob -> a workload draft whose Jobs are stamped from spec.jobTemplate.
//
// kube: SetDefaults_CronJob — concurrencyPolicy Allow, suspend false (history limits do not
// matter to the simulation). Validation (pkg/apis/batch/validation validateCronJobSpec):
// the schedule must parse with robfig/cron's ParseStandard (5 fields or a descriptor; see
// cron-schedule.ts), must not contain TZ (TZ= / CRON_TZ=: use timeZone), timeZone must be a
// known IANA zone, startingDeadlineSeconds >= 0; the jobTemplate has no selector of its own.

import type { Cur } from '../cursor.js';
import type { CronJobSpec } from '../model.js';
import { parseStandard, toCronParser } from './cron-schedule.js';
import type { PriorityTable } from './pod-template.js';
import { readJob, type WorkloadDraft } from './workloads.js';

const DAY_AND_MONTH_NAMES = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|sun|mon|tue|wed|thu|fri|sat)$/i;

/**
 * The schedule as cron-parser reads it, with robfig/cron's meaning (null: it never fires, e.g.
 * `0 0 30 2 *`, which Kubernetes accepts), or an error message. kube: validateScheduleFormat.
 */
export function normalizeSchedule(schedule: string): { expr: string | null } | { error: string } {
  if (schedule.includes('TZ')) return { error: 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead' };
  if (schedule.startsWith('@every ')) return { error: '`@every` schedules are not simulated; write the interval as a 5-field cron expression' };
  const r = parseStandard(schedule);
  if ('error' in r) {
    // cron-parser extensions that other crons accept, and robfig does not.
    if (/[LH#]/i.test(schedule.replace(/[a-z]{3}/gi, (m) => (DAY_AND_MONTH_NAMES.test(m) ? '' : m))) && !schedule.startsWith('@')) {
      return { error: `\`L\`, \`#\` and \`H\` are not part of Kubernetes' cron syntax: ${JSON.stringify(schedule)}` };
    }
    return { error: schedule.startsWith('@') ? r.error : `invalid schedule ${JSON.stringify(schedule)}: ${r.error}` };
  }
  return { expr: toCronParser(r.schedule) };
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** kube: validation.DNS1035LabelMaxLength - 11. */
const CRONJOB_NAME_MAX = 52;

export function readCronJob(c: Cur, base: Pick<WorkloadDraft, 'kind' | 'name' | 'namespace' | 'key' | 'source'>, priorities: PriorityTable): WorkloadDraft | undefined {
  // kube: ValidateCronJobCreate: the name leaves room for the 11-character suffix of the Jobs
  // it creates (DNS1035LabelMaxLength 63 - 11).
  if (base.name.length > CRONJOB_NAME_MAX) {
    c.child('metadata').child('name').error(`must be no more than ${CRONJOB_NAME_MAX} characters (a CronJob's Jobs add an 11-character suffix), got ${base.name.length}`);
  }
  const spec = c.requireChild('spec');
  if (spec.missing || spec.entries() === undefined) return undefined;
  const schedCur = spec.requireChild('schedule');
  const raw = schedCur.str();
  let schedule: string | null | undefined;
  if (raw === '') schedCur.error('must be non-empty');
  else if (raw !== undefined) {
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
