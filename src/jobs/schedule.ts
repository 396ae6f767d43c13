import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger';

export interface ScheduledJob {
  name: string;
  cron: string;
  run: () => Promise<unknown>;
}

export interface RunningSchedule {
  stop(): Promise<void>;
}

/** Starts cron jobs; a job's failure is logged and the schedule goes on. */
export function startSchedule(jobs: readonly ScheduledJob[], timezone: string, logger: Logger): RunningSchedule {
  const tasks: ScheduledTask[] = jobs.map((job) => {
    const task = cron.schedule(
      job.cron,
      async () => {
        try {
          await job.run();
        } catch (error) {
          logger.error('scheduled job failed', { job: job.name, error: (error as Error).message });
        }
      },
      { timezone, name: job.name, noOverlap: true },
    );
    logger.info('scheduled', { job: job.name, cron: job.cron, next: task.getNextRun()?.toISOString() ?? null });
    return task;
  });
  return {
    stop: async () => {
      for (const task of tasks) await task.stop();
    },
  };
}
