export { type RunCheck, Scheduler, type SchedulerOptions, type SchedulerStats } from './scheduler.ts';
export { hashOffset, initialDue, nextDue, spreadOffset } from './timing.ts';
