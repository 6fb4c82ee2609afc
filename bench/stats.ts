/** Small statistics and memory helpers shared by the harness and its worker. */
import { cpus, loadavg, totalmem } from 'node:os';

export interface Latency {
  samples: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

/** Percentiles (nearest rank) of durations in milliseconds. */
export function latency(ms: readonly number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  return {
    samples: sorted.length,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    mean: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? 0,
  };
}

/** Samples `process.memoryUsage().rss` on a timer and whenever `sample()` is called. */
export class RssSampler {
  peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 10) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
  }

  stop(): { peakRssSampled: number; maxRss: number } {
    clearInterval(this.timer);
    this.sample();
    // ru_maxrss (kilobytes on Linux): the kernel's own high-water mark, samples or not.
    return { peakRssSampled: this.peak, maxRss: process.resourceUsage().maxRSS * 1024 };
  }
}

export const mib = (bytes: number) => bytes / (1024 * 1024);

export interface MachineDescription {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageStart: number[];
  loadAverageEnd: number[];
}

/** The machine a run measured on, with the load average when it started and now (the machine is often shared). */
export function describeMachine(loadAverageStart: number[]): MachineDescription {
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 1024 ** 3,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageStart,
    loadAverageEnd: loadavg(),
  };
}
