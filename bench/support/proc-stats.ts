// CPU and memory of a process from /proc (Linux), for the benchmarks.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

export interface CpuTimes {
  userMs: number;
  sysMs: number;
}

export function cpuTimes(stat: string): CpuTimes {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { userMs: (Number(rest[11]) * 1000) / TICK, sysMs: (Number(rest[12]) * 1000) / TICK }; // utime, stime (fields 14, 15)
}

export function cpuMs(pid: number): CpuTimes {
  return cpuTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** user + sys in ms. */
export function totalCpuMs(pid: number): number {
  const t = cpuMs(pid);
  return t.userMs + t.sysMs;
}

/** CPU by thread name (main, libuv workers, V8 GC helpers…): where the time goes outside JavaScript. */
export function threadCpuMs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread has exited
    }
    const name = Number(tid) === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const t = cpuTimes(stat);
    out.set(name, (out.get(name) ?? 0) + t.userMs + t.sysMs);
  }
  return out;
}

/** user + sys of the live child processes of `pid` (the motion detector's ffmpeg thumbnailers). */
export function childrenCpuMs(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue;
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[1]) !== pid) continue; // ppid (field 4)
    const t = cpuTimes(stat);
    out.set(Number(p), t.userMs + t.sysMs);
  }
  return out;
}

export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
