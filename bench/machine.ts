import os from 'node:os';
import v8 from 'node:v8';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramBytes: number;
  node: string;
  /** V8's heap limit in this process (and the forked sections, which inherit its flags). */
  heapLimitBytes: number;
  platform: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    ramBytes: os.totalmem(),
    node: process.version,
    heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}
