export { Scheduler, type RunCheck, type SchedulerOptions, type SchedulerStats } from './scheduler.ts';
export { nextDue, spreadOffset, hashOffset, initialDue } from './timing.ts';
