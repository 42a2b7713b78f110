import type { LoggerService, LogLevel as NestLogLevel } from '@nestjs/common';
import type { Logger } from './logger';

type PinoMethod = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const LEVEL_OF: Record<NestLogLevel, PinoMethod> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};
const VERBOSITY: PinoMethod[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const STACK_LIKE = /\n\s+at /;

/**
 * Nest contexts whose `log` lines are bootstrap wiring: a line per module and per route (about 40 for the
 * API) that helps when a route is missing and buries the start-up summary otherwise. They go out at debug.
 */
const WIRING_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Nest's LoggerService over a pino logger, so that Nest's own messages (bootstrap, routes, exceptions)
 * come out as the same JSON lines, with `context` as a field. Use: `app.useLogger(new NestPinoLogger(log))`.
 */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && WIRING_CONTEXTS.has(context) ? 'debug' : 'info', message, params, false);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params, true);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params, false);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params, false);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params, false);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params, true);
  }

  /** Nest passes the levels it wants; pino has a threshold, so the most verbose one wins. */
  setLogLevels(levels: NestLogLevel[]): void {
    const wanted = levels.map((l) => VERBOSITY.indexOf(LEVEL_OF[l])).filter((i) => i >= 0);
    this.logger.level = wanted.length ? VERBOSITY[Math.min(...wanted)] : 'silent';
  }

  private write(level: PinoMethod, message: unknown, params: unknown[], mayCarryStack: boolean): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};

    // Nest's convention: the trailing string is the context; for errors, a string before it (or the
    // only string, when it looks like a stack trace) is the stack.
    const last = rest[rest.length - 1];
    if (typeof last === 'string' && !(mayCarryStack && rest.length === 1 && STACK_LIKE.test(last))) {
      fields.context = rest.pop();
    }
    if (mayCarryStack && typeof rest[0] === 'string' && (rest.length === 1 || STACK_LIKE.test(rest[0]))) {
      fields.stack = rest.shift();
    }
    if (rest.length) fields.extra = rest;

    if (message instanceof Error) {
      this.logger[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    } else {
      this.logger[level](fields, String(message));
    }
  }
}
