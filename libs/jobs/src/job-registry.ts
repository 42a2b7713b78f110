import { ALL_JOB_NAMES, type JobName } from './job-names';
import type { JobHandlerFn } from './job-queue';

interface Registration {
  handler: JobHandlerFn;
  /** For error messages: `ExportService.exportRange`. */
  source: string;
}

export class JobRegistryError extends Error {
  override readonly name = 'JobRegistryError';
  readonly code = 'JOB_HANDLERS_INVALID';
  constructor(
    readonly missing: readonly JobName[],
    readonly duplicated: ReadonlyArray<{ name: JobName; sources: string[] }>,
  ) {
    const lines = [
      ...missing.map((n) => `  ${n}: no handler registered`),
      ...duplicated.map((d) => `  ${d.name}: ${d.sources.length} handlers (${d.sources.join(', ')}), expected one`),
    ];
    super(`job handlers are not one per job:\n${lines.join('\n')}`);
  }
}

/** Handlers by job name. Problems are collected and reported together by `validate`, which `start()` calls. */
export class JobRegistry {
  private readonly registrations = new Map<JobName, Registration[]>();

  register<N extends JobName>(name: N, handler: JobHandlerFn<N>, source = handler.name || 'anonymous'): this {
    const list = this.registrations.get(name) ?? [];
    list.push({ handler: handler as JobHandlerFn, source });
    this.registrations.set(name, list);
    return this;
  }

  /** Registers every method of `instance` tagged with @JobHandler, bound to the instance. */
  registerInstance(instance: object): this {
    for (const { name, method } of jobHandlerMethods(instance)) {
      const fn = (instance as Record<string | symbol, unknown>)[method];
      if (typeof fn !== 'function') throw new TypeError(`@JobHandler(${name}) is on ${String(method)}, which is not a method`);
      this.register(name, fn.bind(instance) as JobHandlerFn, `${instance.constructor.name}.${String(method)}`);
    }
    return this;
  }

  validate(): void {
    const missing = ALL_JOB_NAMES.filter((n) => !this.registrations.get(n)?.length);
    const duplicated = ALL_JOB_NAMES.flatMap((name) => {
      const list = this.registrations.get(name) ?? [];
      return list.length > 1 ? [{ name, sources: list.map((r) => r.source) }] : [];
    });
    if (missing.length || duplicated.length) throw new JobRegistryError(missing, duplicated);
  }

  /** The single handler for `name`; call after validate. */
  handlerFor(name: JobName): JobHandlerFn {
    const list = this.registrations.get(name);
    if (list?.length !== 1) throw new JobRegistryError(list?.length ? [] : [name], list?.length ? [{ name, sources: list.map((r) => r.source) }] : []);
    return list[0].handler;
  }
}

const TAGGED = new WeakMap<object, Array<{ name: JobName; method: string | symbol }>>();

/** Marks a service method as the handler of one job; pass the instance to JobRegistry.registerInstance. */
export function JobHandler(name: JobName): MethodDecorator {
  return (prototype, method) => {
    const list = TAGGED.get(prototype) ?? [];
    list.push({ name, method });
    TAGGED.set(prototype, list);
  };
}

/** Tagged methods along the prototype chain; an override in a subclass counts once. */
export function jobHandlerMethods(instance: object): Array<{ name: JobName; method: string | symbol }> {
  const seen = new Set<string | symbol>();
  const out: Array<{ name: JobName; method: string | symbol }> = [];
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const here = TAGGED.get(proto) ?? [];
    out.push(...here.filter((entry) => !seen.has(entry.method)));
    for (const entry of here) seen.add(entry.method);
  }
  return out;
}
